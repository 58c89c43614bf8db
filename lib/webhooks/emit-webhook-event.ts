import "server-only";
import { z } from "zod";
import type { Tx } from "@/lib/db/client";
import { newSortableId } from "@/lib/ids";
import { enqueueEffect } from "@/lib/outbox/enqueue-effect";
import { defineEffect } from "@/lib/outbox/define-effect";
import type { WebhookEventType } from "@/lib/webhooks/webhook-event-types";
import { fanOutWebhookEvent } from "@/lib/webhooks/fan-out-webhook-event";

/** The outbox effect that turns one event into one delivery per subscription (after commit). */
export const fanOutWebhookEffect = defineEffect({
  kind: "webhook.fan_out",
  schema: z.object({ eventId: z.string() }),
  handle: ({ eventId }) => fanOutWebhookEvent(eventId),
});

export type WebhookEventInput = {
  type: WebhookEventType;
  /** The organization the event concerns: its own subscriptions receive it. */
  orgId: string | null;
  /** Whether every host's subscriptions receive it as well. */
  toHosts: boolean;
  /** Ids and public facts only: no person's data goes into an event. */
  data: Record<string, string | number | boolean | null>;
};

/**
 * Records an event in the transaction of what happened, with the job that
 * fans it out after commit: an act that rolls back sends nothing, and one that
 * commits is delivered at least once. Three writes, whatever the number of
 * subscribers, so the acting transaction stays short.
 */
export async function emitWebhookEvent(tx: Tx, event: WebhookEventInput): Promise<string> {
  const id = newSortableId("whe");
  await tx.webhookEvent.create({
    data: { id, type: event.type, data: event.data, orgId: event.orgId, toHosts: event.toHosts },
  });
  await enqueueEffect(tx, fanOutWebhookEffect, { eventId: id }, `${fanOutWebhookEffect.kind}:${id}`);
  return id;
}
