import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { ZodError } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { getUserAccess } from "@/lib/access/user-access";
import type { Actor } from "@/lib/access/actor";
import { drainOutbox } from "@/lib/outbox/kick-outbox";
import { getActiveSigningKey } from "@/lib/keys/get-active-signing-key";
import { suspendLicense } from "@/lib/licensing/suspend-license";
import { revokeLicense } from "@/lib/licensing/revoke-license";
import { signWebhookContent } from "@/lib/webhooks/webhook-signer";
import { createWebhookSubscription } from "@/lib/webhook-subscriptions/create-webhook-subscription";
import { disableWebhookSubscription } from "@/lib/webhook-subscriptions/disable-webhook-subscription";
import { resendWebhookDelivery } from "@/lib/webhook-subscriptions/resend-webhook-delivery";
import { listWebhookSubscriptions } from "@/lib/webhook-subscriptions/list-webhook-subscriptions";
import { resumeImportedWebhookSubscription } from "@/lib/webhook-subscriptions/resume-imported-webhook-subscription";
import { importedStopReason } from "@/lib/webhook-subscriptions/imported-stop";
import { newId } from "@/lib/ids";
import { GET as webhookKeys } from "@/app/.well-known/guildhall/webhook-keys/route";
import { seedOrg, seedUser } from "@/tests/support/factories";
import { seedActiveLicense } from "@/tests/integration/licensing/helpers";
import { startWebhookReceiver } from "@/examples/webhook-receiver/create-webhook-receiver";
import type { VerifiedWebhook } from "@/examples/webhook-receiver/verify-webhook";

const system = { type: "system" as const, id: "test" };

async function principal(userId: string): Promise<Actor> {
  return { type: "user", id: userId, access: await getUserAccess(userId) };
}

async function invalid(p: Promise<unknown>): Promise<void> {
  await expect(p).rejects.toBeInstanceOf(ZodError);
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

function listen(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise<void>((r) => server.close(() => r())),
      }),
    ),
  );
}

/** A receiver as a subscriber runs it (the example), remembering what it processed and every raw request. */
async function receiverFor(guildhall: string, subscriptionId: string) {
  const events: { id: string; event: VerifiedWebhook["event"] }[] = [];
  const refusals: Record<string, unknown>[] = [];
  const receiver = await startWebhookReceiver({
    guildhall,
    subscriptionId,
    onEvent: (event, id) => {
      events.push({ id, event });
    },
    log: (line) => {
      if (line.msg === "webhook refused") refusals.push(line);
    },
  });
  return { ...receiver, events, refusals };
}

describe("outgoing webhooks", () => {
  const closers: (() => Promise<void>)[] = [];
  let guildhall: string;
  let captured: { headers: Record<string, string>; body: string }[] = [];
  let tap: string;

  beforeAll(async () => {
    // The key endpoint over HTTP, as a receiver fetches it at start.
    const keys = await listen(async (_req, res) => {
      const answer = await webhookKeys(new Request("http://localhost/.well-known/guildhall/webhook-keys"), {
        params: Promise.resolve({}),
      });
      res.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
    });
    guildhall = keys.url;
    // A receiver that keeps the raw requests, to replay them.
    const t = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        captured.push({
          headers: Object.fromEntries(
            ["webhook-id", "webhook-timestamp", "webhook-signature"].map((h) => [h, String(req.headers[h])]),
          ),
          body: Buffer.concat(chunks).toString("utf8"),
        });
        res.writeHead(204).end();
      });
    });
    tap = t.url;
    closers.push(keys.close, t.close);
  });
  afterAll(async () => {
    for (const close of closers) await close();
  });

  it("subscriptions are for the organization's managers only, and bad ones change nothing", async () => {
    const host = await seedOrg({ kind: "HOST" });
    const theater = await seedOrg({ kind: "THEATER" });
    const { user: member } = await seedUser();
    await db().membership.create({ data: { orgId: host.org.id, userId: member.id, role: "THEATER_ADMIN" } });
    const before = await db().webhookSubscription.count();
    const input = { url: "https://hooks.example.test/in", eventTypes: ["license.suspended"] };
    expect(
      (
        await refusal(
          createWebhookSubscription({ slug: host.org.slug, ...input, actor: await principal(theater.admin.id) }),
        )
      ).code,
    ).toBe("FORBIDDEN");
    // A member of the host without the host operator's role.
    expect(
      (await refusal(createWebhookSubscription({ slug: host.org.slug, ...input, actor: await principal(member.id) })))
        .code,
    ).toBe("FORBIDDEN");
    expect(
      (await refusal(listWebhookSubscriptions({ slug: host.org.slug, actor: await principal(theater.admin.id) }))).code,
    ).toBe("FORBIDDEN");
    const theaterAdmin = await principal(theater.admin.id);
    expect(
      (
        await refusal(
          createWebhookSubscription({
            slug: theater.org.slug,
            ...input,
            eventTypes: ["host.admitted"],
            actor: theaterAdmin,
          }),
        )
      ).reason,
    ).toBe("EVENT_NOT_FOR_ORG");
    for (const url of [
      "http://hooks.example.test/in",
      "https://10.0.0.5/in",
      "https://169.254.169.254/x",
      "ftp://x.test",
    ])
      await invalid(createWebhookSubscription({ slug: theater.org.slug, ...input, url, actor: theaterAdmin }));
    await invalid(
      createWebhookSubscription({ slug: theater.org.slug, ...input, eventTypes: ["nope"], actor: theaterAdmin }),
    );
    await invalid(createWebhookSubscription({ slug: theater.org.slug, ...input, eventTypes: [], actor: theaterAdmin }));
    expect(await db().webhookSubscription.count()).toBe(before);
  });

  it("a license suspension reaches the theater's and the hosts' receivers, signed and verified", async () => {
    const { license, org: theater, admin } = await seedActiveLicense();
    const host = await seedOrg({ kind: "HOST" });
    const hostSub = await createWebhookSubscription({
      slug: host.org.slug,
      url: `${tap}/`,
      eventTypes: ["license.suspended", "license.revoked", "certificate.revoked"],
      actor: await principal(host.admin.id),
    });
    const theaterReceiver = await receiverFor(guildhall, "pending");
    closers.push(theaterReceiver.close);
    const theaterSub = await createWebhookSubscription({
      slug: theater.slug,
      url: theaterReceiver.url,
      eventTypes: ["license.suspended"],
      actor: await principal(admin.id),
    });
    // The receiver checks that messages are for its own subscription; it learns its id once subscribed.
    const receiver = await receiverFor(guildhall, theaterSub.id);
    closers.push(receiver.close);
    await db().webhookSubscription.update({ where: { id: theaterSub.id }, data: { url: receiver.url } });

    captured = [];
    await suspendLicense({ licenseId: license.id, reason: "Chargeback", actor: system });
    await drainOutbox();
    expect(receiver.events).toHaveLength(1);
    expect(receiver.refusals).toEqual([]);
    expect(receiver.events[0].event).toMatchObject({
      type: "license.suspended",
      subscription: theaterSub.id,
      data: { licenseId: license.id, theaterOrgId: theater.id },
    });
    // No free text of the act in the event: the reason stays in the audit chain.
    expect(JSON.stringify(receiver.events[0].event)).not.toContain("Chargeback");
    expect(captured).toHaveLength(1);
    expect(captured[0].headers["webhook-signature"]).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
    expect(JSON.parse(captured[0].body).subscription).toBe(hostSub.id);

    const delivery = await db().webhookDelivery.findUniqueOrThrow({
      where: { id: receiver.events[0].id },
      include: { log: true },
    });
    expect(delivery).toMatchObject({ status: "delivered", attempts: 1, subscriptionId: theaterSub.id });
    expect(delivery.log).toEqual([expect.objectContaining({ statusCode: 200, error: null })]);

    // Replays: the host's message posted to the theater's receiver (another subscription), the same message twice,
    // an old timestamp with a good signature, a tampered body. Each refused or ignored; nothing processed again.
    const post = (headers: Record<string, string>, body: string) =>
      fetch(receiver.url, { method: "POST", headers, body }).then(async (r) => ({
        status: r.status,
        body: await r.json(),
      }));
    expect(await post(captured[0].headers, captured[0].body)).toEqual({
      status: 400,
      body: { code: "WRONG_SUBSCRIPTION" },
    });
    const key = (await getActiveSigningKey("webhook")).privateKey;
    const body = JSON.stringify(receiver.events[0].event);
    const signed = (id: string, timestamp: number, content = body) => ({
      "webhook-id": id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signWebhookContent(key, { id, timestamp, body: content }),
    });
    const now = Math.floor(Date.now() / 1000);
    expect((await post(signed(delivery.id, now), body)).body).toEqual({ duplicate: true });
    expect(await post(signed("msg_old", now - 600), body)).toEqual({
      status: 400,
      body: { code: "TIMESTAMP_OUT_OF_TOLERANCE" },
    });
    const tampered = body.replace(license.id, "lic_other");
    expect(await post({ ...signed("msg_t", now), "webhook-id": "msg_t" }, tampered)).toEqual({
      status: 400,
      body: { code: "BAD_SIGNATURE" },
    });
    expect(receiver.events).toHaveLength(1);
    expect(receiver.refusals.map((r) => r.code)).toEqual([
      "WRONG_SUBSCRIPTION",
      "TIMESTAMP_OUT_OF_TOLERANCE",
      "BAD_SIGNATURE",
    ]);

    // The re-send button: the manager sends it again (same webhook-id, fresh signature); the receiver ignores it.
    expect(
      (
        await refusal(
          resendWebhookDelivery({ slug: theater.slug, deliveryId: delivery.id, actor: await principal(host.admin.id) }),
        )
      ).code,
    ).toBe("FORBIDDEN");
    expect(
      (
        await refusal(
          resendWebhookDelivery({
            slug: host.org.slug,
            deliveryId: delivery.id,
            actor: await principal(host.admin.id),
          }),
        )
      ).reason,
    ).toBe("NO_SUCH_DELIVERY");
    await resendWebhookDelivery({ slug: theater.slug, deliveryId: delivery.id, actor: await principal(admin.id) });
    await drainOutbox();
    const again = await db().webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id }, include: { log: true } });
    expect(again).toMatchObject({ status: "delivered", attempts: 2 });
    expect(receiver.events).toHaveLength(1);

    // A revocation: the license event and one certificate event per revoked certificate (none issued here).
    captured = [];
    await revokeLicense({ licenseId: license.id, reason: "Breach", actor: system });
    await drainOutbox();
    expect(captured.map((c) => JSON.parse(c.body).type)).toEqual(["license.revoked"]);
  });

  it("retries a failing receiver with backoff (not before its Retry-After), logs each attempt, and a 410 stops the subscription", async () => {
    const { org: theater, admin, license } = await seedActiveLicense();
    const answers = [503, 200];
    // Its 503 asks for two minutes' rest (Retry-After), longer than the first backoff.
    const flaky = await listen((_req, res) => res.writeHead(answers.shift() ?? 200, { "retry-after": "120" }).end());
    const gone = await listen((_req, res) => res.writeHead(410).end());
    closers.push(flaky.close, gone.close);
    const manager = await principal(admin.id);
    const flakySub = await createWebhookSubscription({
      slug: theater.slug,
      url: flaky.url,
      eventTypes: ["license.suspended"],
      actor: manager,
    });
    const goneSub = await createWebhookSubscription({
      slug: theater.slug,
      url: gone.url,
      eventTypes: ["license.suspended"],
      actor: manager,
    });
    await suspendLicense({ licenseId: license.id, reason: "Chargeback", actor: system });
    await drainOutbox();
    const first = await db().webhookDelivery.findFirstOrThrow({ where: { subscriptionId: flakySub.id } });
    expect(first).toMatchObject({ status: "pending", attempts: 1 });
    const job = await db().outboxJob.findUniqueOrThrow({ where: { idempotencyKey: `webhook.deliver:${first.id}` } });
    expect(job.status).toBe("pending");
    expect(job.runAfter.getTime()).toBeGreaterThan(Date.now() + 110_000);
    // The backoff has passed.
    await db().outboxJob.update({ where: { id: job.id }, data: { runAfter: new Date() } });
    await drainOutbox();
    const log = await db().webhookAttempt.findMany({
      where: { deliveryId: first.id },
      orderBy: { attemptedAt: "asc" },
    });
    expect(log.map((a) => a.statusCode)).toEqual([503, 200]);
    expect((await db().webhookDelivery.findUniqueOrThrow({ where: { id: first.id } })).status).toBe("delivered");

    expect(await db().webhookSubscription.findUniqueOrThrow({ where: { id: goneSub.id } })).toMatchObject({
      status: "disabled",
      disabledReason: "The receiver answered 410 Gone.",
    });
    const page = await listWebhookSubscriptions({ slug: theater.slug, actor: manager });
    expect(page.subscriptions.find((s) => s.id === flakySub.id)?.deliveries[0].log).toHaveLength(2);

    // Stopping a subscription: a reason is required, and it is the organization's own.
    expect(
      (
        await refusal(
          disableWebhookSubscription({ slug: theater.slug, subscriptionId: flakySub.id, reason: " ", actor: manager }),
        )
      ).reason,
    ).toBe("NO_REASON");
    const other = await seedOrg({ kind: "THEATER" });
    expect(
      (
        await refusal(
          disableWebhookSubscription({
            slug: other.org.slug,
            subscriptionId: flakySub.id,
            reason: "not mine",
            actor: await principal(other.admin.id),
          }),
        )
      ).reason,
    ).toBe("NO_SUCH_SUBSCRIPTION");
    await disableWebhookSubscription({
      slug: theater.slug,
      subscriptionId: flakySub.id,
      reason: "Moved to a new endpoint",
      actor: manager,
    });
    expect((await db().webhookSubscription.findUniqueOrThrow({ where: { id: flakySub.id } })).status).toBe("disabled");
  });

  it("a subscription that came stopped with an import is resumed by its managers only, with a reason, audited; one stopped here is not", async () => {
    const theater = await seedOrg({ kind: "THEATER" });
    const other = await seedOrg({ kind: "THEATER" });
    const { user: member } = await seedUser();
    await db().membership.create({ data: { orgId: theater.org.id, userId: member.id, role: "HOST_OPERATOR" } });
    // As a theater's import writes one that was active at its origin (import-theater-backup.ts).
    const imported = await db().webhookSubscription.create({
      data: {
        id: newId("whs"),
        orgId: theater.org.id,
        orgKind: "THEATER",
        url: tap,
        eventTypes: ["license.suspended"],
        status: "disabled",
        disabledReason: importedStopReason("https://origin.example"),
        disabledAt: new Date(),
        createdById: "import",
      },
    });
    const resume = (actor: Actor, reason = "The receiver trusts our keys now.", subscriptionId = imported.id) =>
      resumeImportedWebhookSubscription({ slug: theater.org.slug, subscriptionId, reason, actor });
    const state = () => db().webhookSubscription.findUniqueOrThrow({ where: { id: imported.id } });
    const before = await state();

    // Another theater's admin, and a member of this one without its admin's role, are refused; nothing changes.
    expect((await refusal(resume(await principal(other.admin.id)))).code).toBe("FORBIDDEN");
    expect((await refusal(resume(await principal(member.id)))).code).toBe("FORBIDDEN");
    // Through the other theater, the subscription is not found.
    expect(
      (
        await refusal(
          resumeImportedWebhookSubscription({
            slug: other.org.slug,
            subscriptionId: imported.id,
            reason: "The receiver trusts our keys now.",
            actor: await principal(other.admin.id),
          }),
        )
      ).reason,
    ).toBe("NO_SUCH_SUBSCRIPTION");
    const manager = await principal(theater.admin.id);
    expect((await refusal(resume(manager, "ok"))).reason).toBe("NO_REASON");
    expect(await state()).toEqual(before);

    // One its manager stopped here stays stopped.
    const own = await createWebhookSubscription({
      slug: theater.org.slug,
      url: tap,
      eventTypes: ["license.suspended"],
      actor: manager,
    });
    await disableWebhookSubscription({
      slug: theater.org.slug,
      subscriptionId: own.id,
      reason: "Moved to another receiver.",
      actor: manager,
    });
    expect((await refusal(resume(manager, "Changed my mind.", own.id))).reason).toBe("NOT_STOPPED_BY_IMPORT");

    await resume(manager);
    expect(await state()).toMatchObject({ status: "active", disabledReason: null, disabledAt: null });
    const events = await db().auditEvent.findMany({
      where: { action: "webhook_subscription.resumed", subjectId: imported.id },
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: theater.admin.id,
      data: { reason: "The receiver trusts our keys now." },
    });
    // Resumed once: it is active, not stopped by an import, so a second time is refused.
    expect((await refusal(resume(manager))).reason).toBe("NOT_STOPPED_BY_IMPORT");
  });
});
