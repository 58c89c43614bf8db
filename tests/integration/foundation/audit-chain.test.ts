import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { verifyStoredAuditChain } from "@/lib/audit/verify-stored-audit-chain";

async function append(n: number) {
  for (let i = 0; i < n; i++) {
    await db().$transaction((tx) =>
      appendAuditEvent(tx, {
        actor: { type: "system" },
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
          actor: { type: "system" },
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

  it("refuses UPDATE and DELETE of an event at the database", async () => {
    await append(1);
    await expect(
      db().$executeRawUnsafe(`UPDATE "AuditEvent" SET "action" = 'forged' WHERE "seq" = 1`),
    ).rejects.toThrow();
    await expect(db().$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE "seq" = 1`)).rejects.toThrow();
  });

  it("fails verification when an event is edited by hand behind the trigger", async () => {
    await append(3);
    // An operator with table-owner rights can still bypass the trigger: verification must catch it.
    await db().$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
      await tx.$executeRawUnsafe(`UPDATE "AuditEvent" SET "data" = '{"i": 99}' WHERE "seq" = 2`);
      await tx.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
    });
    const verdict = await verifyStoredAuditChain();
    expect(verdict).toMatchObject({ ok: false, seq: "2" });
    if (!verdict.ok) expect(verdict.problem).toContain("altered");
  });
});
