import { userActor } from "@/lib/access/actor";
import crypto from "node:crypto";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { resetEnvForTests } from "@/lib/config/env";
import { relyingParty } from "@/lib/auth/relying-party";
import { seedUser } from "@/tests/support/factories";
import { SoftAuthenticator } from "@/tests/support/soft-authenticator";
import { createProposal } from "@/lib/governance/create-proposal";
import { startBallot } from "@/lib/governance/start-ballot";
import { castBallot } from "@/lib/governance/cast-ballot";
import { ensureMainReleaseLine } from "@/lib/release-lines/ensure-main-release-line";
import type { GlobalRole } from "@/lib/generated/prisma/client";

/** Governance tests run on the test clock; set before lib/ reads the environment. */
export function useTestClock() {
  process.env.GUILDHALL_TEST_CLOCK = "1";
  resetEnvForTests();
}

/** A user with roles and a registered software passkey. */
export async function seedVoter(roles: GlobalRole[] = ["MEMBER"]) {
  const { user } = await seedUser({ roles });
  const rp = relyingParty();
  const authenticator = new SoftAuthenticator(rp.origin);
  const credential = authenticator.createCredential(rp.rpID);
  await db().passkey.create({
    data: {
      id: newId("pk"),
      userId: user.id,
      credentialId: credential.id.toString("base64url"),
      publicKey: new Uint8Array(authenticator.coseKey(credential)),
      deviceType: "singleDevice",
      name: "software",
    },
  });
  return { user, authenticator };
}

export type Voter = Awaited<ReturnType<typeof seedVoter>>;

export function releaseContent(releaseLineId: string, version = `1.${crypto.randomInt(1_000_000)}.0`) {
  return {
    releaseLineId,
    name: "Guildhall host",
    version,
    artifactUrl: `https://example.test/host-${version}.tar.gz`,
    artifactSha256: crypto.randomBytes(32).toString("hex"),
    notes: "Fixes.",
  };
}

export async function openRelease(proposer: Voter, opts: { openNow?: boolean } = {}) {
  const line = await db().$transaction((tx) => ensureMainReleaseLine(tx));
  return createProposal({
    kind: "release",
    title: "Release the host",
    content: releaseContent(line.id),
    openNow: opts.openNow ?? true,
    actor: userActor(proposer.user.id),
  });
}

/** The honest path: ask for options, sign the challenge, submit. */
export async function vote(voter: Voter, proposalId: string, choice: 1 | 0 | -1, justification: string | null = null) {
  const { ballot, options } = await startBallot({
    proposalId,
    voterId: voter.user.id,
    choice,
    justification,
    digestConfirmed: true,
  });
  const response = voter.authenticator.authenticate(options);
  return castBallot({
    proposalId,
    voterId: voter.user.id,
    input: { choice, justification, castAt: ballot.castAt, response },
  });
}

export const HOUR_MS = 3_600_000;
