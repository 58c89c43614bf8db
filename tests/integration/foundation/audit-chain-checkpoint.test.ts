import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { sequenceAllPendingAuditEvents } from "@/lib/audit/sequence-audit-events";
import { FULL_CHECK_EVERY_MS, verifyAuditChainSinceCheckpoint } from "@/lib/audit/verify-audit-chain-since-checkpoint";
import { eventAtSeq } from "@/tests/support/audit-places";

async function append(n: number) {
  for (let i = 0; i < n; i++) {
    await db().$transaction((tx) =>
      appendAuditEvent(tx, {
        actor: { type: "system", id: "test" },
        action: "test.happened",
        subject: { type: "test", id: `t${i}` },
        state: { i },
        data: { i },
      }),
    );
  }
  // Placed in the chain at once, as the integrator's next round would, so the tests can name events by seq.
  await sequenceAllPendingAuditEvents();
}

/** Edits a stored event or its place behind the append-only triggers, as only a table owner could. */
async function tamper(...sql: string[]) {
  await db().$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
    await tx.$executeRawUnsafe(`ALTER TABLE "AuditPlacement" DISABLE TRIGGER USER`);
    for (const statement of sql) await tx.$executeRawUnsafe(statement);
    await tx.$executeRawUnsafe(`ALTER TABLE "AuditPlacement" ENABLE TRIGGER USER`);
    await tx.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
  });
}

const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

// The tests run in order on one database and share the process's checkpoint.
describe("audit page's chain check", () => {
  const start = new Date();

  it("recomputes the whole chain first, then reads only the events appended since", async () => {
    await append(3);
    const total = await db().auditEvent.count();
    const first = await verifyAuditChainSinceCheckpoint(start);
    expect(first).toMatchObject({ ok: true, count: total, eventsRead: total, fullCheckAt: start });

    await append(2);
    const second = await verifyAuditChainSinceCheckpoint(at(start, 60_000));
    expect(second).toMatchObject({ ok: true, count: total + 2, eventsRead: 2, fullCheckAt: start });
  });

  it("shows a broken new event at once", async () => {
    await append(2);
    const head = await db().auditPlacement.findFirstOrThrow({ orderBy: { seq: "desc" } });
    await tamper(`UPDATE "AuditEvent" SET "data" = '{"i": 99}' WHERE "id" = ${eventAtSeq(head.seq)}`);
    const verdict = await verifyAuditChainSinceCheckpoint(at(start, 120_000));
    expect(verdict).toMatchObject({ ok: false, seq: String(head.seq) });
    await tamper(`UPDATE "AuditEvent" SET "data" = '{"i": 1}' WHERE "id" = ${eventAtSeq(head.seq)}`);
  });

  it("recomputes everything when the remembered head no longer carries its hash", async () => {
    const ok = await verifyAuditChainSinceCheckpoint(at(start, 180_000));
    expect(ok).toMatchObject({ ok: true, eventsRead: ok.count, fullCheckAt: at(start, 180_000) });
    await tamper(`UPDATE "AuditPlacement" SET "hash" = 'forged' WHERE "seq" = ${ok.count}`);
    const verdict = await verifyAuditChainSinceCheckpoint(at(start, 200_000));
    expect(verdict).toMatchObject({ ok: false, seq: String(ok.count), fullCheckAt: at(start, 200_000) });
    expect(verdict.eventsRead).toBe(verdict.count);
  });

  it("catches an alteration further back at the next full check, at most FULL_CHECK_EVERY_MS later", async () => {
    // The previous test forged the head's hash; without that event the chain is sound again.
    const head = await db().auditPlacement.findFirstOrThrow({ orderBy: { seq: "desc" } });
    await tamper(
      `DELETE FROM "AuditPlacement" WHERE "seq" = ${head.seq}`,
      `DELETE FROM "AuditEvent" WHERE "id" = '${head.eventId}'`,
    );
    const base = at(start, 300_000);
    expect(await verifyAuditChainSinceCheckpoint(base)).toMatchObject({ ok: true, fullCheckAt: base });

    await tamper(`UPDATE "AuditEvent" SET "data" = '{"i": 42}' WHERE "id" = ${eventAtSeq(1)}`);
    // Between full checks only new events are read, so the old alteration is not seen yet...
    expect(await verifyAuditChainSinceCheckpoint(at(base, FULL_CHECK_EVERY_MS - 1))).toMatchObject({
      ok: true,
      eventsRead: 0,
    });
    // ...and the next full check finds it.
    expect(await verifyAuditChainSinceCheckpoint(at(base, FULL_CHECK_EVERY_MS))).toMatchObject({ ok: false, seq: "1" });
  });
});
