import { describe, expect, it } from "vitest";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { defineEffect } from "@/lib/outbox/define-effect";
import { enqueueEffect } from "@/lib/outbox/enqueue-effect";
import { runOutboxOnce } from "@/lib/outbox/run-outbox";

const noPayload = z.object({});

describe("outbox", () => {
  it("records an effect once per idempotency key and only when its transaction commits", async () => {
    const ok = defineEffect({ kind: "test.ok", schema: z.object({ n: z.number() }), handle: async () => {} });
    await db().$transaction(async (tx) => {
      await enqueueEffect(tx, ok, { n: 1 }, "ok-1");
      await enqueueEffect(tx, ok, { n: 1 }, "ok-1");
    });
    await expect(
      db().$transaction(async (tx) => {
        await enqueueEffect(tx, ok, { n: 2 }, "rolled-back");
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await db().outboxJob.count({ where: { idempotencyKey: { in: ["ok-1", "rolled-back"] } } })).toBe(1);
  });

  it("delivers a job once, even with two runners at the same time", async () => {
    const delivered: string[] = [];
    const count = defineEffect({
      kind: "test.count",
      schema: noPayload,
      handle: async (_p, job) => void delivered.push(job.idempotencyKey),
    });
    await db().$transaction((tx) => enqueueEffect(tx, count, {}, "count-1"));
    await Promise.all([runOutboxOnce([count]), runOutboxOnce([count])]);
    await runOutboxOnce([count]);
    expect(delivered).toEqual(["count-1"]);
    expect((await db().outboxJob.findUniqueOrThrow({ where: { idempotencyKey: "count-1" } })).status).toBe("done");
  });

  it("backs off after a failure and marks a job dead after the last attempt", async () => {
    const fail = defineEffect({
      kind: "test.fail",
      schema: noPayload,
      handle: async () => {
        throw new Error("remote said no");
      },
    });
    await db().$transaction((tx) => enqueueEffect(tx, fail, {}, "fail-1"));
    expect(await runOutboxOnce([fail])).toBe(1);
    let job = await db().outboxJob.findUniqueOrThrow({ where: { idempotencyKey: "fail-1" } });
    expect(job).toMatchObject({ status: "pending", attempts: 1, lastError: "remote said no" });
    expect(job.runAfter.getTime()).toBeGreaterThan(Date.now());
    expect(await runOutboxOnce([fail])).toBe(0); // not due yet

    await db().outboxJob.update({ where: { id: job.id }, data: { attempts: 7, runAfter: new Date(0) } });
    await runOutboxOnce([fail]);
    job = await db().outboxJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(job.status).toBe("dead");
  });

  it("takes over a job whose runner died holding the lease", async () => {
    const seen: string[] = [];
    const lease = defineEffect({
      kind: "test.lease",
      schema: noPayload,
      handle: async (_p, job) => void seen.push(job.idempotencyKey),
    });
    await db().$transaction((tx) => enqueueEffect(tx, lease, {}, "lease-1"));
    await db().outboxJob.update({
      where: { idempotencyKey: "lease-1" },
      data: { lockedUntil: new Date(Date.now() + 60_000) },
    });
    expect(await runOutboxOnce([lease])).toBe(0);
    await db().outboxJob.update({
      where: { idempotencyKey: "lease-1" },
      data: { lockedUntil: new Date(Date.now() - 1) },
    });
    expect(await runOutboxOnce([lease])).toBe(1);
    expect(seen).toEqual(["lease-1"]);
  });

  it("checks a payload against its effect's schema when it is queued, and again before its handler runs", async () => {
    const handled: number[] = [];
    const typed = defineEffect({
      kind: "test.typed",
      schema: z.object({ n: z.number().int() }),
      handle: async (p) => void handled.push(p.n),
    });
    // @ts-expect-error: the payload does not fit the effect's schema, so this does not compile.
    const wrong: Parameters<typeof enqueueEffect<typeof typed.schema>>[2] = { n: "1" };
    await expect(db().$transaction((tx) => enqueueEffect(tx, typed, wrong, "typed-bad"))).rejects.toThrow();
    expect(await db().outboxJob.count({ where: { idempotencyKey: "typed-bad" } })).toBe(0);
    // A stored payload the schema refuses (written by an older build, say) fails like a handler that throws.
    await db().outboxJob.create({
      data: { id: "job_typed_stored", kind: "test.typed", payload: { n: "x" }, idempotencyKey: "typed-stored" },
    });
    expect(await runOutboxOnce([typed])).toBe(1);
    expect(await db().outboxJob.findUniqueOrThrow({ where: { idempotencyKey: "typed-stored" } })).toMatchObject({
      status: "pending",
      attempts: 1,
    });
    expect(handled).toEqual([]);
  });
});
