import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { newId } from "@/lib/ids";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { eventTypesFor } from "@/lib/webhooks/webhook-event-types";
import { loadManagedOrg } from "@/lib/webhook-subscriptions/load-managed-org";
import { refusePrivateHost, requireRoomForActiveSubscription } from "@/lib/webhook-subscriptions/subscription-rules";
import {
  webhookSubscriptionInput,
  type WebhookSubscriptionInput,
} from "@/lib/webhook-subscriptions/webhook-subscription-input";

/**
 * Subscribes an organization's URL to some event types, audited. Checks, in
 * order: the caller manages the organization; the input (webhook-subscription-input.ts);
 * each event type is one its kind may receive (EVENT_NOT_FOR_ORG); the URL's host name does not resolve to a
 * private network's address (PRIVATE_ADDRESS; each delivery checks again as it connects); it holds
 * fewer than the maximum of active subscriptions (TOO_MANY_SUBSCRIPTIONS).
 */
export async function createWebhookSubscription({
  slug,
  actor: by,
  ...input
}: { slug: string; actor: Actor } & WebhookSubscriptionInput) {
  const org = await loadManagedOrg({ slug, actor: by });
  const { url, eventTypes } = webhookSubscriptionInput.parse(input);
  const allowed = new Set<string>(eventTypesFor(org.kind));
  const refused = eventTypes.filter((t) => !allowed.has(t));
  if (refused.length > 0)
    throw new AppError("VALIDATION_FAILED", {
      userMessage: `A ${org.kind.toLowerCase()} does not receive ${refused.join(", ")}.`,
      reason: "EVENT_NOT_FOR_ORG",
    });
  await refusePrivateHost(url);
  return db().$transaction(async (tx) => {
    await requireRoomForActiveSubscription(tx, org.id);
    const subscription = await tx.webhookSubscription.create({
      data: {
        id: newId("whs"),
        orgId: org.id,
        orgKind: org.kind,
        url,
        eventTypes,
        createdById: by.id ?? "system",
      },
    });
    await appendAuditEvent(tx, {
      actor: by,
      action: "webhook_subscription.created",
      subject: { type: "webhook_subscription", id: subscription.id },
      state: { orgId: org.id, url, eventTypes, status: "active" },
      data: { orgId: org.id, eventTypes },
    });
    return subscription;
  });
}
