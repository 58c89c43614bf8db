import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { verifyStoredAuditChain } from "@/lib/audit/verify-stored-audit-chain";
import {
  sequenceAllPendingAuditEvents,
  sequenceAuditEventsNow,
  sequenceIfPending,
} from "@/lib/audit/sequence-audit-events";
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
}

describe("audit chain", () => {
  it("chains events and verifies them", async () => {
    await append(5);
    const verdict = await verifyStoredAuditChain();
    expect(verdict).toMatchObject({ ok: true });
    expect(verdict.count).toBeGreaterThanOrEqual(5);
  });

  it("keeps events of a rolled-back transaction out of the chain", async () => {
    const before = await db().auditEvent.count();
    await expect(
      db().$transaction(async (tx) => {
        await appendAuditEvent(tx, {
          actor: { type: "system", id: "test" },
          action: "test.rolled_back",
          subject: { type: "test", id: "x" },
          state: {},
        });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await db().auditEvent.count()).toBe(before);
    expect((await verifyStoredAuditChain()).ok).toBe(true);
  });

  it("refuses UPDATE and DELETE of an event and of its place at the database", async () => {
    await append(1);
    const [pending] = await db().auditEvent.findMany({ where: { placement: null }, select: { id: true } });
    // A waiting event is not altered.
    await expect(
      db().$executeRawUnsafe(`UPDATE "AuditEvent" SET "action" = 'forged' WHERE "id" = '${pending.id}'`),
    ).rejects.toThrow(/append-only/);
    await sequenceAllPendingAuditEvents();
    expect(await db().auditEvent.count({ where: { placement: null } })).toBe(0);
    // Once placed, nothing changes: not the event, not its place, and it is placed only once.
    const placed = await db().auditPlacement.findUniqueOrThrow({ where: { eventId: pending.id } });
    await expect(
      db().$executeRawUnsafe(`UPDATE "AuditPlacement" SET "seq" = 999999 WHERE "eventId" = '${pending.id}'`),
    ).rejects.toThrow(/insert-only/);
    await expect(
      db().$executeRawUnsafe(
        `INSERT INTO "AuditPlacement" ("seq", "eventId", "prevHash", "hash", "horizon") VALUES (999999, '${pending.id}', '${placed.hash}', 'y', 0)`,
      ),
    ).rejects.toThrow();
    await expect(
      db().$executeRawUnsafe(`UPDATE "AuditEvent" SET "action" = 'forged' WHERE "id" = ${eventAtSeq(1)}`),
    ).rejects.toThrow(/append-only/);
    await expect(db().$executeRawUnsafe(`DELETE FROM "AuditPlacement" WHERE "seq" = 1`)).rejects.toThrow(/insert-only/);
    await expect(db().$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE "id" = '${pending.id}'`)).rejects.toThrow();
    await expect(db().$executeRawUnsafe(`TRUNCATE "AuditPlacement" CASCADE`)).rejects.toThrow();
  });

  it("sequences events appended side by side once each, in a gapless chain", async () => {
    const before = await db().auditEvent.count();
    // Acts commit at once, with no lock between them; the sequencer places each, exactly once.
    await Promise.all(Array.from({ length: 4 }, () => append(5)));
    await Promise.all([sequenceAuditEventsNow(), sequenceAuditEventsNow(), sequenceAuditEventsNow()]);
    await sequenceAllPendingAuditEvents();
    const seqs = (await db().auditPlacement.findMany({ select: { seq: true }, orderBy: { seq: "asc" } })).map(
      (e) => e.seq,
    );
    expect(seqs).toHaveLength(before + 20);
    expect(seqs).toEqual(seqs.map((_, i) => BigInt(i + 1)));
    expect(await verifyStoredAuditChain()).toMatchObject({ ok: true, count: before + 20 });
    // Stored as the instant it was (UTC), whatever the process's time zone.
    const newest = await db().auditEvent.findFirstOrThrow({ orderBy: { placement: { seq: "desc" } } });
    expect(Math.abs(newest.occurredAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("places the event a reader waits for behind a backlog longer than a round, alone or in its transaction", async () => {
    await sequenceAllPendingAuditEvents();
    const appendTo = (subject: string) =>
      db().$transaction((tx) =>
        appendAuditEvent(tx, {
          actor: { type: "system", id: "test" },
          action: "test.waited_for",
          subject: { type: "test", id: subject },
          state: {},
        }),
      );
    const placed = (subject: string) => db().auditPlacement.count({ where: { event: { subjectId: subject } } });
    // Rounds of three: the seventh event waits behind two full rounds (as a receipt's order.paid behind 2,048).
    for (let i = 0; i < 7; i++) await appendTo(`backlog-a${i}`);
    await sequenceIfPending({ subjectId: "backlog-a6" }, undefined, 3);
    expect(await placed("backlog-a6")).toBe(1);
    for (let i = 0; i < 7; i++) await appendTo(`backlog-b${i}`);
    await db().$transaction((tx) => sequenceIfPending({ subjectId: "backlog-b6" }, tx, 3));
    expect(await placed("backlog-b6")).toBe(1);
    expect(await verifyStoredAuditChain()).toMatchObject({ ok: true });
  });

  it("fails verification when an event is edited by hand behind the trigger", async () => {
    await append(3);
    await sequenceAllPendingAuditEvents();
    // An operator with table-owner rights can still bypass the trigger: verification must catch it.
    await db().$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
      await tx.$executeRawUnsafe(`UPDATE "AuditEvent" SET "data" = '{"i": 99}' WHERE "id" = ${eventAtSeq(2)}`);
      await tx.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
    });
    const verdict = await verifyStoredAuditChain();
    expect(verdict).toMatchObject({ ok: false, seq: "2" });
    if (!verdict.ok) expect(verdict.problem).toContain("altered");
  });
});
