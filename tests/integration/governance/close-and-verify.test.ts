import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compactVerify, createLocalJWKSet } from "jose";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { getPublicJwks } from "@/lib/keys/get-public-jwks";
import { advanceTestClock, governanceNow } from "@/lib/governance/clock";
import { closeProposal } from "@/lib/governance/close-proposal";
import { buildProposalExport } from "@/lib/governance/build-proposal-export";
import { getReleaseManifest } from "@/lib/governance/publish-release-manifest";
import { verifyProposalExport } from "@/lib/governance/verifier/verify-proposal-export";
import { proposalExportSchema } from "@/lib/governance/proposal-export-schema";
import { publishedJsonSchema } from "@/app/schemas/registry";
import Ajv2020 from "ajv/dist/2020";
import { defined } from "@/tests/support/defined";
import { resetEnvForTests } from "@/lib/config/env";
import { newId } from "@/lib/ids";
import { seedUser } from "@/tests/support/factories";
import { SoftAuthenticator } from "@/tests/support/soft-authenticator";
import { startBallot } from "@/lib/governance/start-ballot";
import { castBallot } from "@/lib/governance/cast-ballot";
import { readRelyingPartyHistory, recordCurrentRelyingParty } from "@/lib/governance/relying-party-history";
import { HOUR_MS, openRelease, seedVoter, useTestClock, vote, type Voter } from "./helpers";

useTestClock();
const system = { type: "system" as const, id: "test" };

describe("closing a release vote", () => {
  let a: Voter, b: Voter, c: Voter, d: Voter;
  beforeAll(async () => {
    [a, b, c, d] = [await seedVoter(), await seedVoter(), await seedVoter(), await seedVoter()];
  });

  it("cannot close before the window, then passes with three binding +1, enters the signed manifest and re-verifies from its export", async () => {
    const p = await openRelease(a);
    await vote(a, p.id, 1);
    await vote(b, p.id, -1);
    await vote(b, p.id, 1); // changed: the last ballot counts
    await vote(c, p.id, 1);
    await vote(d, p.id, 0);
    const early = await closeProposal({ proposalId: p.id, actor: system }).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(AppError);
    expect((early as AppError).reason).toBe("WINDOW_NOT_OVER");

    await advanceTestClock(72 * HOUR_MS);
    const closed = await closeProposal({ proposalId: p.id, actor: system });
    expect(closed.outcome).toBe("passed");
    expect(closed.tally.binding).toEqual({ plus: 3, zero: 1, minus: 0 });
    expect(closed.effect.effectStatus).toBe("applied");

    const manifest = await getReleaseManifest();
    const jwks = createLocalJWKSet(await getPublicJwks(["manifest"]));
    const { payload, protectedHeader } = await compactVerify(manifest.jws, jwks);
    expect(protectedHeader.typ).toBe("guildhall-release-manifest+jws");
    const body = JSON.parse(new TextDecoder().decode(payload));
    const content = (await db().proposal.findUniqueOrThrow({ where: { id: p.id } })).content as {
      version: string;
      artifactSha256: string;
    };
    const main = body.releaseLines.find((l: { name: string }) => l.name === "main");
    expect(main.releases).toContainEqual(
      expect.objectContaining({ version: content.version, sha256: content.artifactSha256, proposalId: p.id }),
    );

    const exported = JSON.parse(JSON.stringify(await buildProposalExport(p.id)));
    // The export is what its schema and the published JSON Schema (docs/schemas/proposal-export-v1.json) say,
    // field by field: a field added, dropped or changed in type fails here.
    expect(proposalExportSchema.safeParse(exported).error).toBeUndefined();
    const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(
      defined(publishedJsonSchema("proposal-export-v1.json")),
    );
    expect(validate(exported), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...exported, unexpected: true })).toBe(false);
    expect(validate({ ...exported, ballots: [{ ...exported.ballots[0], choice: 2 }] })).toBe(false);
    const verdict = verifyProposalExport(exported);
    expect(verdict.problems).toEqual([]);
    expect(verdict.ok).toBe(true);
    expect(verdict.ballots).toHaveLength(5);

    // Tampering with the export, or with the stored ballot, is caught.
    const forged = structuredClone(exported);
    forged.ballots[0].choice = -1;
    expect(verifyProposalExport(forged).ok).toBe(false);
    const forgedTally = structuredClone(exported);
    forgedTally.result.outcome = "rejected";
    expect(verifyProposalExport(forgedTally).problems[0]).toMatch(/stored tally/);
    const forgedRoster = structuredClone(exported);
    forgedRoster.roster[0].binding = !forgedRoster.roster[0].binding;
    expect(verifyProposalExport(forgedRoster).problems[0]).toMatch(/roster/);

    await db().ballot.updateMany({ where: { proposalId: p.id, voterId: d.user.id }, data: { choice: 1 } });
    const afterEdit = verifyProposalExport(await buildProposalExport(p.id));
    expect(afterEdit.ok).toBe(false);
    expect(afterEdit.problems.join("\n")).toMatch(/CHALLENGE_MISMATCH|not the hash of the ballot/);
  });

  it("rejects a release with two binding +1 and audits the close", async () => {
    const p = await openRelease(a);
    await vote(a, p.id, 1);
    await vote(b, p.id, 1);
    await advanceTestClock(72 * HOUR_MS);
    const closed = await closeProposal({ proposalId: p.id, actor: system });
    expect(closed.outcome).toBe("rejected");
    expect(await db().release.count({ where: { proposalId: p.id } })).toBe(0);
    const actions = (
      await db().auditEvent.findMany({
        where: { subjectId: p.id },
        orderBy: { queued: "asc" },
        select: { action: true },
      })
    ).map((e) => e.action);
    expect(actions).toEqual([
      "proposal.created",
      "proposal.opened",
      "ballot.cast",
      "ballot.cast",
      "proposal.closed",
      "proposal.outcome_applied",
    ]);
    const again = await closeProposal({ proposalId: p.id, actor: system }).catch((e: unknown) => e);
    expect((again as AppError).reason).toBe("ALREADY_CLOSED");
  });

  it("refuses to close a vote whose stored ballots were altered", async () => {
    const p = await openRelease(a);
    await vote(a, p.id, 1);
    await db().ballot.updateMany({ where: { proposalId: p.id }, data: { choice: -1 } });
    await advanceTestClock(72 * HOUR_MS);
    const e = await closeProposal({ proposalId: p.id, actor: system }).catch((err: unknown) => err);
    expect((e as AppError).reason).toBe("BALLOTS_FAIL_VERIFICATION");
    expect((await db().proposal.findUniqueOrThrow({ where: { id: p.id } })).status).toBe("open");
  });

  it("keeps verifying a closed vote after the public URL changes, and refuses a ballot signed for another relying party", async () => {
    const before = defined(process.env.PUBLIC_URL);
    const p = await openRelease(a);
    for (const v of [a, b, c]) await vote(v, p.id, 1);
    await advanceTestClock(72 * HOUR_MS);
    expect((await closeProposal({ proposalId: p.id, actor: system })).outcome).toBe("passed");
    // A vote opened before the change, with a member who has no passkey yet on its roster, and a ballot of it
    // prepared (dated and signed) before the change too.
    const { user: newcomer } = await seedUser({ roles: ["MEMBER"] });
    const open = await openRelease(a);
    const prepared = await startBallot({
      proposalId: open.id,
      voterId: c.user.id,
      choice: 1,
      justification: null,
      digestConfirmed: true,
    });
    const preparedResponse = c.authenticator.authenticate(prepared.options);

    // The portal restarts on another port, as a demo does: its start records the new relying party.
    const movedTo = "http://localhost:4123";
    process.env.PUBLIC_URL = movedTo;
    resetEnvForTests();
    try {
      await recordCurrentRelyingParty();
      const exported = await buildProposalExport(p.id);
      expect(exported.relyingParty).toEqual({ rpId: "localhost", origin: new URL(before).origin });
      const verdict = verifyProposalExport(exported);
      expect(verdict.problems).toEqual([]);
      expect(verdict.ballots.map((x) => x.valid)).toEqual([true, true, true]);
      // The check is the ballots' own: for the new URL's relying party the same ballots do not verify.
      const forOtherParty = verifyProposalExport({ ...exported, relyingParty: { rpId: "localhost", origin: movedTo } });
      expect(forOtherParty.ok).toBe(false);
      expect(forOtherParty.ballots.every((x) => !x.valid)).toBe(true);

      // A ballot prepared under the old URL is not taken under the new one (it would not verify for either).
      const ballotsBefore = await db().ballot.count();
      const stale = await castBallot({
        proposalId: open.id,
        voterId: c.user.id,
        input: { choice: 1, justification: null, castAt: prepared.ballot.castAt, response: preparedResponse },
      }).catch((e: unknown) => e);
      expect((stale as AppError).reason).toBe("RELYING_PARTY_CHANGED");
      // Nor is one signed now for the old relying party: a passkey's signature is bound to where it was made.
      const replayed = await vote(b, open.id, 1).catch((e: unknown) => e);
      expect((replayed as AppError).reason).toBe("BAD_SIGNATURE");
      expect(await db().ballot.count()).toBe(ballotsBefore);
      // A passkey made at the new URL votes; the open vote's export names both relying parties, and verifies.
      const authenticator = new SoftAuthenticator(movedTo);
      const credential = authenticator.createCredential("localhost");
      await db().passkey.create({
        data: {
          id: newId("pk"),
          userId: newcomer.id,
          credentialId: credential.id.toString("base64url"),
          publicKey: new Uint8Array(authenticator.coseKey(credential)),
          deviceType: "singleDevice",
          name: "made at the new URL",
        },
      });
      await vote({ user: newcomer, authenticator }, open.id, 1);
      const both = await buildProposalExport(open.id);
      expect(both.relyingPartyChanges?.map((x) => x.origin)).toEqual([movedTo]);
      const bothVerdict = verifyProposalExport(both);
      expect(bothVerdict.problems).toEqual([]);
      expect(bothVerdict.ballots).toHaveLength(1);
    } finally {
      process.env.PUBLIC_URL = before;
      resetEnvForTests();
      // Later tests here run on the first URL again: recorded as in force again from now on.
      await recordCurrentRelyingParty();
    }
  });

  it("fills in the relying parties of before their history was kept from the ballots, so a vote cast under an older URL verifies", async () => {
    const before = defined(process.env.PUBLIC_URL);
    const p = await openRelease(a);
    for (const v of [a, b, c]) await vote(v, p.id, 1);
    await advanceTestClock(72 * HOUR_MS);
    await closeProposal({ proposalId: p.id, actor: system });
    // A Guildhall from before the history was kept, whose URL changed: its first start after the upgrade records
    // the new URL's relying party, standing for all time before it (recorded now, on the clock ballots are dated by).
    await db().relyingPartyPeriod.deleteMany();
    const movedTo = "http://localhost:4124";
    process.env.PUBLIC_URL = movedTo;
    resetEnvForTests();
    try {
      await recordCurrentRelyingParty();
      const recordedAt = await governanceNow();
      await db().relyingPartyPeriod.updateMany({ data: { recordedAt } });
      const guessed = verifyProposalExport(await buildProposalExport(p.id));
      expect(guessed.ballots.map((x) => x.valid)).toEqual([false, false, false]);

      const backfill = fs.readFileSync(
        path.join(process.cwd(), "prisma/migrations/20261206190000_relying_party_backfill/migration.sql"),
        "utf8",
      );
      await db().$executeRawUnsafe(backfill);
      // Each ballot is checked for the origin it was signed at (the relying party named as in force when the vote
      // opened may be an earlier one: a move back is known only from the next ballot signed after it).
      const verdict = verifyProposalExport(await buildProposalExport(p.id));
      expect(verdict.problems).toEqual([]);
      expect(verdict.ballots.map((x) => x.valid)).toEqual([true, true, true]);
      // The history: the ballots' origin from always, the recorded URL from when it was recorded, and no other.
      const history = await readRelyingPartyHistory();
      expect(history[0]).toMatchObject({ origin: new URL(before).origin, since: new Date(0) });
      expect(history.at(-1)).toMatchObject({ origin: movedTo, since: recordedAt });
      // Run again, it changes nothing: the first period's start is no longer a guess.
      await db().$executeRawUnsafe(backfill);
      expect(await readRelyingPartyHistory()).toEqual(history);
    } finally {
      process.env.PUBLIC_URL = before;
      resetEnvForTests();
      await recordCurrentRelyingParty();
    }
  });
});
