import "server-only";
import http from "node:http";
import https from "node:https";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { preparedQuery } from "@/lib/db/prepared-query";
import { defineEffect, type OutboxJobInfo } from "@/lib/outbox/define-effect";
import { signWebhookContent, webhookSigningKey } from "@/lib/webhooks/webhook-signer";
import { isLoopbackName, publicOnlyLookup } from "@/lib/webhooks/public-address";
import { RetryLater } from "@/lib/outbox/retry-later";
import { limits } from "@/lib/config/limits";

/** Attempts before a delivery is given up (lib/config/limits.ts). */
export const WEBHOOK_MAX_ATTEMPTS = limits.webhooks.maxAttempts;

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

type DeliveryRow = {
  id: string;
  status: string;
  subscriptionId: string;
  type: string;
  occurredAt: Date;
  data: unknown;
  url: string;
  subscriptionStatus: string;
};

type Outcome = { statusCode: number | null; error: string | null; durationMs: number; retryAfter: Date | null };

/**
 * A receiver's Retry-After (RFC 9110: seconds, or an HTTP date) on a 429 or a 503, as a time, at most six hours
 * away: the outbox waits at least that long before the next attempt.
 */
export function retryAfterOf(statusCode: number, header: string | undefined, now = Date.now()): Date | null {
  if ((statusCode !== 429 && statusCode !== 503) || !header) return null;
  const at = /^\d{1,9}$/.test(header.trim()) ? now + Number(header.trim()) * 1000 : Date.parse(header);
  if (!Number.isFinite(at) || at <= now) return null;
  return new Date(Math.min(at, now + 6 * 3_600_000));
}

/**
 * POSTs with node:http(s) rather than fetch, for its `lookup`: the receiver's name is resolved as the request
 * connects, and a private network's address refused then (lib/webhooks/public-address.ts), so a name re-pointed
 * after the subscription was checked reaches nothing inside. No redirects (a 3xx is a failure, as the
 * specification advises): a subscriber's URL cannot send the portal's requests somewhere it was not registered for.
 */
function post(url: string, headers: Record<string, string>, body: string): Promise<Outcome> {
  const started = performance.now();
  const target = new URL(url);
  const send = target.protocol === "https:" ? https.request : http.request;
  const outcome = (statusCode: number | null, error: string | null, retryAfter: Date | null = null): Outcome => ({
    statusCode,
    error: error?.slice(0, 300) ?? null,
    durationMs: Math.round(performance.now() - started),
    retryAfter,
  });
  return new Promise((resolve) => {
    const req = send(
      target,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        agent: target.protocol === "https:" ? httpsAgent : httpAgent,
        timeout: limits.webhooks.requestTimeoutMs,
        ...(isLoopbackName(target.hostname) ? {} : { lookup: publicOnlyLookup }),
      },
      (res) => {
        // The answer's body is not read: only its status counts.
        res.resume();
        const status = res.statusCode ?? 0;
        resolve(outcome(status, null, retryAfterOf(status, res.headers["retry-after"])));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${limits.webhooks.requestTimeoutMs / 1000} s`)));
    req.on("error", (e) => resolve(outcome(null, e.message)));
    req.end(body);
  });
}

// Connections kept open between deliveries: a fan-out sends many to the same receivers.
const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * Sends one delivery (the outbox effect "webhook.deliver"): the body signed
 * with the webhook key under a fresh timestamp (each attempt has its own, so
 * a receiver can refuse old ones), the delivery's id as `webhook-id` (the
 * same on every attempt and re-send, so a receiver processes it once). Every
 * attempt goes into the delivery log. A 2xx delivers it; 410 Gone disables the
 * subscription, as the specification asks; anything else throws, so the
 * outbox retries with backoff (and jitter, and not before a 429's or 503's
 * Retry-After) until the last attempt marks it failed. A
 * delivery already delivered, or for a subscription since disabled, is not sent.
 */
export async function deliverWebhook(deliveryId: string, job: OutboxJobInfo): Promise<void> {
  // Prepared statements on the pool rather than the query builder: a fan-out runs this a thousand times at once,
  // and the builder's CPU per query was most of a delivery's cost on a busy machine.
  const [d] = await preparedQuery<DeliveryRow>(
    "webhook_delivery_to_send",
    `SELECT d."id", d."status", d."subscriptionId", e."type", e."occurredAt", e."data",
            s."url", s."status" AS "subscriptionStatus"
     FROM "WebhookDelivery" d
     JOIN "WebhookEvent" e ON e."id" = d."eventId"
     JOIN "WebhookSubscription" s ON s."id" = d."subscriptionId"
     WHERE d."id" = $1`,
    [deliveryId],
  );
  if (!d || d.status === "delivered") return;
  if (d.subscriptionStatus !== "active") {
    await db().webhookDelivery.update({ where: { id: d.id }, data: { status: "failed" } });
    return;
  }
  const body = webhookBody({ subscriptionId: d.subscriptionId, event: d });
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = signWebhookContent(await webhookSigningKey(), { id: d.id, timestamp, body });
  const outcome = await post(
    d.url,
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
  // The attempt into the log and the delivery's new state in one statement: one round trip per delivery,
  // since a fan-out records a thousand of them at once.
  await preparedQuery(
    "webhook_attempt_recorded",
    `WITH attempt AS (
       INSERT INTO "WebhookAttempt" ("deliveryId", "attemptedAt", "statusCode", "error", "durationMs")
       VALUES ($1, now() AT TIME ZONE 'UTC', $2::int, $3::text, $4::int))
     UPDATE "WebhookDelivery" SET "attempts" = "attempts" + 1, "lastAttemptAt" = now() AT TIME ZONE 'UTC',
       "status" = $5::text,
       "deliveredAt" = CASE WHEN $5::text = 'delivered' THEN now() AT TIME ZONE 'UTC' ELSE NULL END
     WHERE "id" = $1`,
    [d.id, outcome.statusCode, outcome.error, outcome.durationMs, status],
  );
  const now = new Date();
  if (gone)
    await db().webhookSubscription.update({
      where: { id: d.subscriptionId },
      data: { status: "disabled", disabledAt: now, disabledReason: "The receiver answered 410 Gone." },
    });
  const failure = `webhook ${d.id} answered ${outcome.statusCode ?? outcome.error}`;
  if (!ok && !gone) throw outcome.retryAfter ? new RetryLater(outcome.retryAfter, failure) : new Error(failure);
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
