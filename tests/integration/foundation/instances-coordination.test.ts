import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { getActiveSigningKey } from "@/lib/keys/get-active-signing-key";
import { runExclusively } from "@/lib/db/run-exclusively";

const DAY_MS = 86_400_000;

/**
 * What several portal instances (or an instance and the CLI) do at once on
 * one database: the periodic tasks run on one at a time, and a key old enough
 * to rotate is rotated once, however many of them notice it together.
 */
describe("several instances at once", () => {
  it("rotate a key that reached its age once, not once per instance that noticed", async () => {
    const first = await getActiveSigningKey("governance");
    await db().signingKey.update({
      where: { kid: first.kid },
      data: { createdAt: new Date(Date.now() - 400 * DAY_MS) },
    });
    const keys = await Promise.all([
      getActiveSigningKey("governance"),
      getActiveSigningKey("governance"),
      getActiveSigningKey("governance"),
    ]);
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
    expect(keys[0].kid).not.toBe(first.kid);
    expect(await db().signingKey.count({ where: { purpose: "governance" } })).toBe(2);
    expect(await db().auditEvent.count({ where: { action: "signing_key.retired", subjectId: first.kid } })).toBe(1);
  });

  // On the embedded engine one process owns the database, and a task simply runs.
  it.runIf(process.env.TEST_DB === "postgres")(
    "run a periodic task on one of them at a time: the others skip that round",
    async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const started = new Promise<void>((resolve) => (entered = resolve));
      const first = runExclusively("test-sweep", async () => {
        entered();
        await held;
        return "first";
      });
      await started;
      // A second connection (another instance) finds the lock taken.
      expect(await runExclusively("test-sweep", async () => "second")).toEqual({ ran: false });
      expect(await runExclusively("another-task", async () => "other")).toEqual({ ran: true, value: "other" });
      release();
      expect(await first).toEqual({ ran: true, value: "first" });
      // Released with the run: the next round may run anywhere.
      expect(await runExclusively("test-sweep", async () => "third")).toEqual({ ran: true, value: "third" });
    },
  );
});
