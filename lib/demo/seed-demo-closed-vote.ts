import { userActor } from "@/lib/access/actor";
import "server-only";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { demoAccounts, demoClosedVoteTitle } from "@/lib/seed/demo-accounts";
import { relyingParty } from "@/lib/auth/relying-party";
import { startPasskeyRegistration } from "@/lib/auth/start-passkey-registration";
import { addPasskey } from "@/lib/auth/add-passkey";
import { removePasskey } from "@/lib/auth/remove-passkey";
import type { GovernanceTimeSource } from "@/lib/governance/clock";
import { getGovernanceRule } from "@/lib/governance/get-governance-rule";
import { createProposal } from "@/lib/governance/create-proposal";
import { startBallot } from "@/lib/governance/start-ballot";
import { castBallot } from "@/lib/governance/cast-ballot";
import { closeProposal } from "@/lib/governance/close-proposal";
import type { BallotChoice } from "@/lib/governance/verifier/ballot-content";
import { SoftAuthenticator, type SoftCredential } from "@/lib/demo/software-authenticator";

const HOUR_MS = 3_600_000;

/** The name each seeded passkey shows on its holder's account page, so nobody takes it for their own. */
export const demoSeedPasskeyName = "Demo seed's software passkey (private key discarded)";

/** Who votes what, in the order they vote, and how many hours after the opening. */
const votes: { email: string; choice: BallotChoice; justification: string | null; afterHours: number }[] = [
  { email: demoAccounts.admin.email, choice: 1, justification: null, afterHours: 1 },
  {
    email: demoAccounts.members[0].email,
    choice: 1,
    justification: "Theaters and funders ask for these; five years covers a full license cycle.",
    afterHours: 5,
  },
  { email: demoAccounts.members[1].email, choice: 1, justification: null, afterHours: 26 },
  {
    email: demoAccounts.members[2].email,
    choice: 0,
    justification: "No objection; I would rather we decide the archive's format first.",
    afterHours: 49,
  },
];

/**
 * For the demo seed only: a closed policy vote with a tally anyone can verify,
 * made through the real operations. A fresh demo has no passkeys and every
 * vote stays open at least 72 hours, so the seed
 *  1. registers a passkey for each voter with a software authenticator, through
 *     the account page's own registration ceremony (real attestation, verified
 *     by @simplewebauthn/server);
 *  2. opens the vote, and starts and casts each ballot, on a clock of its own
 *     set one window and an hour back (the operations take it as their clock;
 *     every check still runs: roster, window, challenge, signature, counter);
 *  3. closes the vote on the real clock, past its window, which signs the
 *     tally after re-verifying every ballot, as the sweep would.
 * The authenticator's private keys exist only in this function and are
 * dropped when it returns, and the passkeys are removed from the accounts
 * (through the account page's own removal): nobody, the seed included, can
 * sign with them again, and each demo member adds a passkey of their own to
 * vote (docs/GOVERNANCE.md, "The demo's closed vote"). Returns the proposal's id.
 */
export async function seedDemoClosedVote(): Promise<string> {
  const admin = await db().user.findUniqueOrThrow({ where: { email: demoAccounts.admin.email }, select: { id: true } });
  const authenticator = new SoftAuthenticator(relyingParty().origin);
  const voters = new Map<string, { id: string; credential: SoftCredential }>();
  for (const { email } of votes) {
    const voter = await db().user.findUniqueOrThrow({ where: { email }, select: { id: true } });
    const options = await startPasskeyRegistration({ userId: voter.id, authTime: new Date() });
    const response = authenticator.register(options);
    await addPasskey({
      userId: voter.id,
      authTime: new Date(),
      responseJson: JSON.stringify(response),
      name: demoSeedPasskeyName,
    });
    const credential = authenticator.credentials.find((c) => c.id.toString("base64url") === response.id);
    if (!credential) throw new Error("the software authenticator lost the credential it just made");
    voters.set(email, { id: voter.id, credential });
  }

  const rule = await getGovernanceRule("policy");
  const openedAtMs = Date.now() - (rule.minWindowHours + 1) * HOUR_MS;
  let seedNowMs = openedAtMs;
  const seedClock: GovernanceTimeSource = async () => new Date(seedNowMs);
  const proposal = await createProposal(
    {
      kind: "policy",
      title: demoClosedVoteTitle,
      content: {
        text:
          "Each quarter's finance statement (orders, refunds, payouts and the split applied) stays on the public " +
          "finance pages for five years.\n\nA demo vote: the demo seed cast its ballots with software passkeys it " +
          "made for the demo members, on a clock set back one voting window, and discarded their private keys.",
      },
      openNow: true,
      actor: userActor(admin.id),
    },
    seedClock,
  );

  for (const v of votes) {
    seedNowMs = openedAtMs + v.afterHours * HOUR_MS;
    const voter = voters.get(v.email);
    if (!voter) throw new Error(`${v.email} has no demo passkey`);
    const { ballot, options } = await startBallot(
      {
        proposalId: proposal.id,
        voterId: voter.id,
        choice: v.choice,
        justification: v.justification,
        digestConfirmed: true,
      },
      seedClock,
    );
    seedNowMs += 20_000; // the voter takes a few seconds to touch the authenticator
    const response = authenticator.authenticate(options, { credential: voter.credential });
    await castBallot({
      proposalId: proposal.id,
      voterId: voter.id,
      input: { choice: v.choice, justification: v.justification, castAt: ballot.castAt, response },
      clock: seedClock,
    });
  }
  // The private keys go with the authenticator; its list is emptied, so nothing below could reach them.
  authenticator.credentials.splice(0);

  const closed = await closeProposal({ proposalId: proposal.id, actor: { type: "system", id: "seed" } });
  // A passkey nobody can use would stand in its holder's way: the vote page would offer to sign with it. Each
  // ballot keeps its own copy of the public key, so the tally verifies without the passkey rows.
  for (const { id } of voters.values()) {
    const seeded = await db().passkey.findMany({
      where: { userId: id, name: demoSeedPasskeyName },
      select: { id: true },
    });
    for (const passkey of seeded) await removePasskey({ userId: id, passkeyId: passkey.id });
  }
  log.info({ proposalId: proposal.id, outcome: closed.outcome }, "demo closed vote seeded");
  return proposal.id;
}
