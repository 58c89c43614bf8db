import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { defineEffect, type OutboxJobInfo } from "@/lib/outbox/define-effect";
import { signWebhookContent, webhookSigningKey } from "@/lib/webhooks/webhook-signer";

/** Attempts before a delivery is given up: with the outbox's doubling backoff (capped at an hour), about 9 hours. */
export const WEBHOOK_MAX_ATTEMPTS = 16;
const TIMEOUT_MS = 15_000;

/** The body sent for one delivery: the event, and the subscription it is for (a receiver refuses another's). */
export function webhookBody(d: {
  subscriptionId: string;
  event: { type: string; occurredAt: Date; data: unknown };
}): string {
  return JSON.stringify({
    type: d.event.type,
    timestamp: d.event.occurredAt.toISOString(),
    subscription: d.subscriptionId,
    data: d.event.data,
  });
}

type Outcome = { statusCode: number | null; error: string | null; durationMs: number };

async function post(url: string, headers: Record<string, string>, body: string): Promise<Outcome> {
  const started = performance.now();
  try {
    // No redirects (a 3xx is a failure, as the specification advises): a subscriber's URL cannot send the
    // portal's requests somewhere it was not registered for.
    const res = await fetch(url, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await res.body?.cancel();
    return { statusCode: res.status, error: null, durationMs: Math.round(performance.now() - started) };
  } catch (e) {
    const error = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
    return { statusCode: null, error: error.slice(0, 300), durationMs: Math.round(performance.now() - started) };
  }
}

/**
 * Sends one delivery (the outbox effect "webhook.deliver"): the body signed
 * with the webhook key under a fresh timestamp (each attempt has its own, so
 * a receiver can refuse old ones), the delivery's id as `webhook-id` (the
 * same on every attempt and re-send, so a receiver processes it once). Every
 * attempt goes into the delivery log. A 2xx delivers it; 410 Gone disables the
 * subscription, as the specification asks; anything else throws, so the
 * outbox retries with backoff until the last attempt marks it failed. A
 * delivery already delivered, or for a subscription since disabled, is not sent.
 */
export async function deliverWebhook(deliveryId: string, job: OutboxJobInfo): Promise<void> {
  const d = await db().webhookDelivery.findUnique({
    where: { id: deliveryId },
    include: { event: true, subscription: { select: { url: true, status: true } } },
  });
  if (!d || d.status === "delivered") return;
  if (d.subscription.status !== "active") {
    await db().webhookDelivery.update({ where: { id: d.id }, data: { status: "failed" } });
    return;
  }
  const body = webhookBody(d);
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = signWebhookContent(await webhookSigningKey(), { id: d.id, timestamp, body });
  const outcome = await post(
    d.subscription.url,
    {
      "content-type": "application/json",
      "user-agent": "Guildhall-Webhooks/1",
      "webhook-id": d.id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signature,
    },
    body,
  );
  const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
  const gone = outcome.statusCode === 410;
  const status = ok ? "delivered" : gone || job.attempts >= WEBHOOK_MAX_ATTEMPTS ? "failed" : "pending";
  const now = new Date();
  // The attempt into the log and the delivery's new state in one statement: one round trip per delivery,
  // since a fan-out records a thousand of them at once.
  await db().$executeRaw`
    WITH attempt AS (
      INSERT INTO "WebhookAttempt" ("deliveryId", "attemptedAt", "statusCode", "error", "durationMs")
      VALUES (${d.id}, ${now}, ${outcome.statusCode}, ${outcome.error}, ${outcome.durationMs}))
    UPDATE "WebhookDelivery" SET "attempts" = "attempts" + 1, "lastAttemptAt" = ${now}, "status" = ${status},
      "deliveredAt" = ${ok ? now : null}
    WHERE "id" = ${d.id}`;
  if (gone)
    await db().webhookSubscription.update({
      where: { id: d.subscriptionId },
      data: { status: "disabled", disabledAt: now, disabledReason: "The receiver answered 410 Gone." },
    });
  if (!ok && !gone) throw new Error(`webhook ${d.id} answered ${outcome.statusCode ?? outcome.error}`);
}

export const deliverWebhookEffect = defineEffect({
  kind: "webhook.deliver",
  schema: z.object({ deliveryId: z.string() }),
  handle: ({ deliveryId }, job) => deliverWebhook(deliveryId, job),
  // Each delivery waits on another subscriber's server: many in flight at once, so one slow receiver
  // does not hold up the others.
  concurrency: 32,
  maxAttempts: WEBHOOK_MAX_ATTEMPTS,
});
