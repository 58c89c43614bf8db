import { beforeAll, describe, expect, it } from "vitest";
import { compactVerify, createLocalJWKSet } from "jose";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { getPublicJwks } from "@/lib/keys/get-public-jwks";
import { advanceTestClock } from "@/lib/governance/clock";
import { closeProposal } from "@/lib/governance/close-proposal";
import { buildProposalExport } from "@/lib/governance/build-proposal-export";
import { getReleaseManifest } from "@/lib/governance/publish-release-manifest";
import { verifyProposalExport } from "@/lib/governance/verifier/verify-proposal-export";
import { proposalExportSchema } from "@/lib/governance/proposal-export-schema";
import { publishedJsonSchema } from "@/app/schemas/registry";
import Ajv2020 from "ajv/dist/2020";
import { defined } from "@/tests/support/defined";
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
});
