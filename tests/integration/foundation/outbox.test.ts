import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { enqueueEffect } from "@/lib/outbox/enqueue-effect";
import { runOutboxOnce } from "@/lib/outbox/run-outbox";

describe("outbox", () => {
  it("records an effect once per idempotency key and only when its transaction commits", async () => {
    await db().$transaction(async (tx) => {
      await enqueueEffect(tx, "test.ok", { n: 1 }, "ok-1");
      await enqueueEffect(tx, "test.ok", { n: 1 }, "ok-1");
    });
    await expect(
      db().$transaction(async (tx) => {
        await enqueueEffect(tx, "test.ok", { n: 2 }, "rolled-back");
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await db().outboxJob.count({ where: { idempotencyKey: { in: ["ok-1", "rolled-back"] } } })).toBe(1);
  });

  it("delivers a job once, even with two runners at the same time", async () => {
    await db().$transaction((tx) => enqueueEffect(tx, "test.count", {}, "count-1"));
    const delivered: string[] = [];
    const handlers = { "test.count": async (_p: Record<string, unknown>, job: { idempotencyKey: string }) => void delivered.push(job.idempotencyKey) };
    await Promise.all([runOutboxOnce(handlers), runOutboxOnce(handlers)]);
    await runOutboxOnce(handlers);
    expect(delivered).toEqual(["count-1"]);
    expect((await db().outboxJob.findUniqueOrThrow({ where: { idempotencyKey: "count-1" } })).status).toBe("done");
  });

  it("backs off after a failure and marks a job dead after the last attempt", async () => {
    await db().$transaction((tx) => enqueueEffect(tx, "test.fail", {}, "fail-1"));
    const handlers = { "test.fail": async () => { throw new Error("remote said no"); } };
    expect(await runOutboxOnce(handlers)).toBe(1);
    let job = await db().outboxJob.findUniqueOrThrow({ where: { idempotencyKey: "fail-1" } });
    expect(job).toMatchObject({ status: "pending", attempts: 1, lastError: "remote said no" });
    expect(job.runAfter.getTime()).toBeGreaterThan(Date.now());
    expect(await runOutboxOnce(handlers)).toBe(0); // not due yet

    await db().outboxJob.update({ where: { id: job.id }, data: { attempts: 7, runAfter: new Date(0) } });
    await runOutboxOnce(handlers);
    job = await db().outboxJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(job.status).toBe("dead");
  });

  it("takes over a job whose runner died holding the lease", async () => {
    await db().$transaction((tx) => enqueueEffect(tx, "test.lease", {}, "lease-1"));
    await db().outboxJob.update({ where: { idempotencyKey: "lease-1" }, data: { lockedUntil: new Date(Date.now() + 60_000) } });
    const seen: string[] = [];
    const handlers = { "test.lease": async (_p: Record<string, unknown>, job: { idempotencyKey: string }) => void seen.push(job.idempotencyKey) };
    expect(await runOutboxOnce(handlers)).toBe(0);
    await db().outboxJob.update({ where: { idempotencyKey: "lease-1" }, data: { lockedUntil: new Date(Date.now() - 1) } });
    expect(await runOutboxOnce(handlers)).toBe(1);
    expect(seen).toEqual(["lease-1"]);
  });
});
