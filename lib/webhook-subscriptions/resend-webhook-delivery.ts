import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { enqueueEffect } from "@/lib/outbox/enqueue-effect";
import { kickEffect } from "@/lib/outbox/kick-outbox";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { deliverWebhookEffect } from "@/lib/webhooks/deliver-webhook";
import { loadManagedOrg } from "@/lib/webhook-subscriptions/load-managed-org";

/**
 * The re-send button: sends a delivery again now, under the same
 * `webhook-id` (so a receiver that processed it already ignores it) and a
 * fresh timestamp and signature, with a full new round of retries. Checks:
 * the caller manages the organization; the delivery is one of its
 * subscriptions' (else NOT_FOUND); the subscription is still active
 * (SUBSCRIPTION_DISABLED); the delivery is not already being sent
 * (ALREADY_PENDING, so a double click queues it once).
 */
export async function resendWebhookDelivery({
  slug,
  actor: by,
  deliveryId,
}: {
  slug: string;
  actor: Actor;
  deliveryId: string;
}) {
  const org = await loadManagedOrg({ slug, actor: by });
  await db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "WebhookDelivery" WHERE "id" = ${deliveryId} FOR UPDATE`;
    const delivery = await tx.webhookDelivery.findFirst({
      where: { id: deliveryId, subscription: { orgId: org.id } },
      include: { subscription: { select: { status: true } } },
    });
    if (!delivery) throw new AppError("NOT_FOUND", { userMessage: "No such delivery.", reason: "NO_SUCH_DELIVERY" });
    if (delivery.subscription.status !== "active")
      throw new AppError("CONFLICT", {
        userMessage: "The subscription is stopped; nothing is sent to it.",
        reason: "SUBSCRIPTION_DISABLED",
      });
    if (delivery.status === "pending")
      throw new AppError("CONFLICT", {
        userMessage: "This delivery is being sent already.",
        reason: "ALREADY_PENDING",
      });
    await tx.webhookDelivery.update({ where: { id: delivery.id }, data: { status: "pending", deliveredAt: null } });
    await enqueueEffect(
      tx,
      deliverWebhookEffect,
      { deliveryId: delivery.id },
      `${deliverWebhookEffect.kind}:${delivery.id}:resend-${delivery.attempts}`,
    );
    await appendAuditEvent(tx, {
      actor: by,
      action: "webhook_delivery.resent",
      subject: { type: "webhook_delivery", id: delivery.id },
      state: { status: "pending" },
      data: { orgId: org.id, subscriptionId: delivery.subscriptionId, eventId: delivery.eventId },
    });
  });
  kickEffect(deliverWebhookEffect);
}
