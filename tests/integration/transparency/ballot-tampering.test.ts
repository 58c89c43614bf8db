import { generateKeyPairSync } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { stateDigestOf } from "@/lib/audit/audit-event-hash";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { advanceTestClock } from "@/lib/governance/clock";
import { closeProposal } from "@/lib/governance/close-proposal";
import { verifyProposal } from "@/lib/governance/verify-proposal";
import { integrateLog } from "@/lib/transparency/integrate-log";
import { findLogReceipt } from "@/lib/transparency/find-log-receipt";
import { getLogSigner, logOrigin } from "@/lib/transparency/log-signer";
import { attachLogProofs } from "@/lib/governance/attach-log-proofs";
import { buildProposalExport } from "@/lib/governance/build-proposal-export";
import { verifyProposalExport } from "@/lib/governance/verifier/verify-proposal-export";
import { proposalExportSchema } from "@/lib/governance/proposal-export-schema";
import { SIGNATURE_TYPE, ed25519RawPublicKey, formatVerifierKey } from "@/lib/merkle/signed-note";
import { HOUR_MS, openRelease, seedVoter, useTestClock, vote, type Voter } from "../governance/helpers";

/**
 * `governance verify` holds a proposal's ballots to the transparency log: each
 * ballot cast is an entry, and a closed proposal's tally names the entries it
 * counted. Each tampering below is what someone with rights on the database
 * could do; the signature check of what remains is asserted where it is fooled,
 * so the test shows what the log adds.
 */
useTestClock();
const system = { type: "system" as const, id: "test" };
let a: Voter, b: Voter, c: Voter, d: Voter;

beforeAll(async () => {
  [a, b, c, d] = [await seedVoter(), await seedVoter(), await seedVoter(), await seedVoter()];
}, 60_000);

async function openWithVeto() {
  const p = await openRelease(a);
  await vote(a, p.id, 1);
  await vote(b, p.id, 1);
  const veto = (await vote(c, p.id, -1, "a veto, with its reason")).ballot;
  return { p, veto };
}

const rewriteAuditRow = async (sql: string) => {
  await db().$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
  try {
    await db().$executeRawUnsafe(sql);
  } finally {
    await db().$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
  }
};

describe("a proposal's ballots, held to the log", () => {
  it("verifies when untouched: each ballot names its own entry", async () => {
    const { p } = await openWithVeto();
    await integrateLog();
    const verdict = await verifyProposal(p.id);
    expect(verdict).toMatchObject({ ok: true, problems: [], notes: [], loggedBallots: 3 });
    expect(verdict.exported.log?.entries).toHaveLength(3);
    for (const ballot of verdict.exported.ballots)
      expect(ballot.logEntry).toBe((await findLogReceipt({ kind: "ballot", id: ballot.id })).index);
  });

  it("offline, an export is held to the log entries it carries: a ballot dropped from it or a forged entry fails", async () => {
    const { p, veto } = await openWithVeto();
    await integrateLog();
    const exported = await attachLogProofs(await buildProposalExport(p.id));
    // With its log entries and their proofs, the export is still what its schema describes.
    expect(proposalExportSchema.safeParse(JSON.parse(JSON.stringify(exported))).error).toBeUndefined();
    const logKey = (await getLogSigner()).verifierKey;
    expect(verifyProposalExport(exported, { logKey })).toMatchObject({ ok: true, notes: [] });
    expect(verifyProposalExport(exported).notes).toEqual([
      "the log checkpoint's signature was not checked (give the log key to check it)",
    ]);

    const dropped = { ...exported, ballots: exported.ballots.filter((x) => x.id !== veto.id) };
    expect(verifyProposalExport(dropped, { logKey }).problems).toEqual([
      expect.stringMatching(new RegExp(`log entry \\d+ records ballot ${veto.id}, which the export lacks`)),
    ]);
    const log = exported.log as NonNullable<typeof exported.log>;
    const forged = {
      ...exported,
      log: { ...log, entries: log.entries.map((e) => ({ ...e, entry: e.entry.replace('"choice":-1', '"choice":1') })) },
    };
    expect(verifyProposalExport(forged, { logKey }).problems).toContainEqual(
      expect.stringMatching(/log entry \d+ is not in the log's checkpoint/),
    );
    const other = generateKeyPairSync("ed25519");
    const otherKey = formatVerifierKey(logOrigin(), SIGNATURE_TYPE.ed25519, ed25519RawPublicKey(other.publicKey));
    expect(verifyProposalExport(exported, { logKey: otherKey }).problems).toEqual([
      "the export's log checkpoint is not signed by the log key given",
    ]);
  });

  it("fails when a ballot is deleted, whether or not its entry was integrated yet", async () => {
    const { p, veto } = await openWithVeto();
    await integrateLog();
    const late = (await vote(d, p.id, -1)).ballot; // committed, not yet in a checkpoint
    await db().ballot.deleteMany({ where: { id: { in: [veto.id, late.id] } } });
    const verdict = await verifyProposal(p.id);
    expect(verdict.ballots.every((x) => x.valid)).toBe(true); // what remains is all properly signed
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual([
      expect.stringMatching(new RegExp(`ballot ${veto.id} \\(log entry \\d+\\) is missing from the proposal`)),
      expect.stringMatching(new RegExp(`ballot ${late.id} \\(log entry \\d+\\) is missing from the proposal`)),
    ]);
  });

  it("fails when a ballot is added that was never cast", async () => {
    const { p } = await openWithVeto();
    await integrateLog();
    const model = await db().ballot.findFirstOrThrow({ where: { proposalId: p.id, voterId: b.user.id } });
    const added = await db().ballot.create({
      data: { ...model, id: newId("bal"), voterId: d.user.id, challenge: `${model.challenge}x`, choice: 1 },
    });
    const verdict = await verifyProposal(p.id);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toContain(`ballot ${added.id} was never cast: no log entry records it`);
  });

  it("fails when a ballot is altered, even with its audit row rewritten to match", async () => {
    const { p, veto } = await openWithVeto();
    await integrateLog();
    await db().ballot.update({ where: { id: veto.id }, data: { choice: 1 } });
    const { event, ...placement } = await db().auditPlacement.findFirstOrThrow({
      where: { event: { action: "ballot.cast", data: { path: ["ballotId"], equals: veto.id } } },
      include: { event: true },
    });
    const data = { ...(event.data as object), choice: 1 };
    await rewriteAuditRow(
      `UPDATE "AuditEvent" SET "data" = '${JSON.stringify(data)}'::jsonb, "stateDigest" = '${stateDigestOf({ forged: true })}' WHERE "id" = '${event.id}'`,
    );
    const verdict = await verifyProposal(p.id);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toContainEqual(
      expect.stringMatching(new RegExp(`ballot ${veto.id} says 1, its log entry ${placement.seq - 1n} says -1`)),
    );
  });

  it("once closed: the tally names the counted entries; a counted ballot deleted or one logged later fails", async () => {
    const { p, veto } = await openWithVeto();
    await advanceTestClock(72 * HOUR_MS);
    await closeProposal({ proposalId: p.id, actor: system });
    await integrateLog();
    const closed = await verifyProposal(p.id);
    expect(closed).toMatchObject({ ok: true, problems: [] });
    const entries = closed.exported.ballots.map((x) => x.logEntry).sort((x, y) => Number(x) - Number(y));
    expect(closed.exported.result?.countedLogEntries).toEqual(entries);
    const tally = await findLogReceipt({ kind: "tally", id: p.id });
    expect(tally.status === "integrated" && JSON.parse(tally.entry).data.countedLogEntries).toEqual(entries);

    await db().ballot.delete({ where: { id: veto.id } });
    const forged = newId("bal");
    await db().$transaction((tx) =>
      appendAuditEvent(tx, {
        actor: { type: "user", id: d.user.id },
        action: "ballot.cast",
        subject: { type: "proposal", id: p.id },
        state: { ballotId: forged },
        data: { ballotId: forged, choice: 1, binding: true },
      }),
    );
    await integrateLog();
    const verdict = await verifyProposal(p.id);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual(
      expect.arrayContaining([
        "the signed tally does not match the tally recomputed from the ballots",
        expect.stringMatching(new RegExp(`ballot ${veto.id} \\(log entry \\d+\\) is missing from the proposal`)),
        expect.stringMatching(new RegExp(`ballot ${forged} was logged \\(entry \\d+\\) after the tally`)),
      ]),
    );
  });
});
