import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { auditEventToRecord } from "@/lib/audit/audit-event-to-record";
import { eventAtSeq } from "@/tests/support/audit-places";
import { computeAuditEventHash, GENESIS_HASH } from "@/lib/audit/audit-event-hash";
import { verifyStoredAuditChain } from "@/lib/audit/verify-stored-audit-chain";
import { integrateLog } from "@/lib/transparency/integrate-log";
import { getLatestCheckpoint } from "@/lib/transparency/read-log";
import { verifyLogHistory } from "@/lib/transparency/verify-log-history";

/**
 * The outside review's attacks on the history, each by someone with full
 * rights on the database (triggers lifted) but without the log key. Each
 * passed the old hash-chain check (asserted here, so the test shows what the
 * log adds) and each is caught by `audit verify` on the log.
 */
const sql = (text: string) => db().$executeRawUnsafe(text);
const unguarded = async (statements: string[]) => {
  for (const table of ["AuditEvent", "AuditPlacement", "LogEntry", "LogCheckpoint", "LogTile"])
    await sql(`ALTER TABLE "${table}" DISABLE TRIGGER USER`);
  try {
    for (const s of statements) await sql(s);
  } finally {
    for (const table of ["AuditEvent", "AuditPlacement", "LogEntry", "LogCheckpoint", "LogTile"])
      await sql(`ALTER TABLE "${table}" ENABLE TRIGGER USER`);
  }
};

/** What the attacker does after editing: recompute every chain hash from the edited event on. */
async function recomputeChain() {
  const rows = await db().auditPlacement.findMany({ orderBy: { seq: "asc" }, include: { event: true } });
  let prevHash = GENESIS_HASH;
  const updates: string[] = [];
  for (const row of rows) {
    const { hash: _old, ...fields } = auditEventToRecord(row);
    const hash = computeAuditEventHash({ ...fields, prevHash });
    updates.push(`UPDATE "AuditPlacement" SET "prevHash" = '${prevHash}', "hash" = '${hash}' WHERE "seq" = ${row.seq}`);
    prevHash = hash;
  }
  await unguarded(updates);
}

let kept = ""; // the checkpoint a witness or a monitor kept

beforeAll(async () => {
  await db().$transaction(
    async (tx) => {
      for (let i = 0; i < 12; i++)
        await appendAuditEvent(tx, {
          actor: { type: "system", id: "test" },
          action: "license.suspended",
          subject: { type: "license", id: `lic_${i}` },
          state: { standing: "suspended", i },
          data: { reason: "unpaid" },
          requestId: "req_attack_test",
        });
    },
    { timeout: 60_000 },
  );
  await integrateLog();
  kept = (await getLatestCheckpoint())?.note ?? "";
  expect(await verifyLogHistory([kept])).toMatchObject({ ok: true });
}, 120_000);

describe("audit verify on the transparency log catches what the hash chain let through", () => {
  it("an event edited in place, every later hash recomputed", async () => {
    await sql(`CREATE TABLE "saved_edit" AS SELECT e."id", e."data", p."seq", p."prevHash", p."hash"
      FROM "AuditEvent" e JOIN "AuditPlacement" p ON p."eventId" = e."id"`);
    await unguarded([`UPDATE "AuditEvent" SET "data" = '{"reason":"paid"}' WHERE "id" = ${eventAtSeq(5)}`]);
    await recomputeChain();
    expect((await verifyStoredAuditChain()).ok).toBe(true); // the old check: fooled
    const verdict = await verifyLogHistory();
    expect(verdict).toMatchObject({ ok: false });
    expect(!verdict.ok && verdict.problem).toMatch(/audit event 5 .* differs from its published log entry 4/);

    // Going further: the published entry rewritten to match. The signed root no longer does.
    const edited = await db().logEntry.findUniqueOrThrow({ where: { index: 4n } });
    await unguarded([
      `UPDATE "LogEntry" SET "body" = '${edited.body.replace('"reason":"unpaid"', '"reason":"paid"')}' WHERE "index" = 4`,
    ]);
    const deeper = await verifyLogHistory();
    expect(!deeper.ok && deeper.problem).toMatch(/do not hash to the root of .*: the log was rewritten/);

    await unguarded([
      `UPDATE "AuditEvent" e SET "data" = s."data" FROM "saved_edit" s WHERE e."id" = s."id"`,
      `UPDATE "AuditPlacement" p SET "prevHash" = s."prevHash", "hash" = s."hash" FROM "saved_edit" s WHERE p."seq" = s."seq"`,
      `UPDATE "LogEntry" SET "body" = '${edited.body}' WHERE "index" = 4`,
      `DROP TABLE "saved_edit"`,
    ]);
    expect(await verifyLogHistory([kept])).toMatchObject({ ok: true });
  });

  it("the tail cut off (events, entries and the checkpoints that covered them)", async () => {
    const size = (await getLatestCheckpoint())?.size ?? 0;
    await unguarded([
      `CREATE TABLE "cut_events" AS SELECT "eventId" FROM "AuditPlacement" WHERE "seq" > ${size - 3}`,
      `DELETE FROM "AuditPlacement" WHERE "seq" > ${size - 3}`,
      `DELETE FROM "AuditEvent" WHERE "id" IN (SELECT "eventId" FROM "cut_events")`,
      `DROP TABLE "cut_events"`,
      `DELETE FROM "LogEntry" WHERE "index" >= ${size - 3}`,
    ]);
    expect((await verifyStoredAuditChain()).ok).toBe(true); // the old check: fooled
    // The stored checkpoints still cover the cut events.
    expect(await verifyLogHistory()).toMatchObject({ ok: false });

    // The thorough attacker deletes those checkpoints too; the database alone then looks whole,
    // and the checkpoint a witness or monitor kept is what shows the cut.
    await unguarded([`DELETE FROM "LogCheckpoint" WHERE "size" > ${size - 3}`]);
    const withKept = await verifyLogHistory([kept]);
    expect(!withKept.ok && withKept.problem).toMatch(
      new RegExp(`kept checkpoint of size ${size} covers ${size} entries but the history holds ${size - 3} events`),
    );
  });
});
