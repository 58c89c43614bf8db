import "server-only";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { enqueueEffects } from "@/lib/outbox/enqueue-effect";
import { kickEffect } from "@/lib/outbox/kick-outbox";
import { deliverWebhookEffect } from "@/lib/webhooks/deliver-webhook";

/**
 * One delivery (and one outbox job) per active subscription that wants this
 * event type and may receive it: the subscriptions of the organization the
 * event concerns and, for federation-wide events, every host's. Idempotent:
 * a second run finds the deliveries made and enqueues no job twice. Then the
 * deliveries start at once instead of at the next outbox round.
 */
export async function fanOutWebhookEvent(eventId: string): Promise<void> {
  const made = await db().$transaction(async (tx) => {
    const event = await tx.webhookEvent.findUnique({ where: { id: eventId } });
    if (!event) return 0;
    const audience = [
      ...(event.orgId ? [{ orgId: event.orgId }] : []),
      ...(event.toHosts ? [{ orgKind: "HOST" }] : []),
    ];
    if (audience.length === 0) return 0;
    const subscriptions = await tx.webhookSubscription.findMany({
      where: { status: "active", eventTypes: { has: event.type }, OR: audience },
      select: { id: true },
    });
    await tx.webhookDelivery.createMany({
      data: subscriptions.map((s) => ({ id: newId("msg"), eventId, subscriptionId: s.id })),
      skipDuplicates: true,
    });
    const deliveries = await tx.webhookDelivery.findMany({ where: { eventId }, select: { id: true } });
    await enqueueEffects(
      tx,
      deliverWebhookEffect,
      deliveries.map((d) => ({
        payload: { deliveryId: d.id },
        idempotencyKey: `${deliverWebhookEffect.kind}:${d.id}`,
      })),
    );
    return deliveries.length;
  });
  if (made > 0) kickEffect(deliverWebhookEffect);
}
