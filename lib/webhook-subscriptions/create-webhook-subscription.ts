import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { newId } from "@/lib/ids";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { eventTypesFor } from "@/lib/webhooks/webhook-event-types";
import { nonPublicAddressOf } from "@/lib/webhooks/public-address";
import { loadManagedOrg } from "@/lib/webhook-subscriptions/load-managed-org";
import {
  webhookSubscriptionInput,
  type WebhookSubscriptionInput,
} from "@/lib/webhook-subscriptions/webhook-subscription-input";

/** Active subscriptions an organization may hold: enough for every system it runs, not a fan-out amplifier. */
export const MAX_ACTIVE_SUBSCRIPTIONS = 10;

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
  const { hostname } = new URL(url);
  const privateAddress = await nonPublicAddressOf(hostname);
  if (privateAddress)
    throw new AppError("VALIDATION_FAILED", {
      userMessage: `${hostname} resolves to ${privateAddress}, an address inside a private network: Guildhall does not post there.`,
      reason: "PRIVATE_ADDRESS",
    });
  return db().$transaction(async (tx) => {
    const active = await tx.webhookSubscription.count({ where: { orgId: org.id, status: "active" } });
    if (active >= MAX_ACTIVE_SUBSCRIPTIONS)
      throw new AppError("CONFLICT", {
        userMessage: `An organization has at most ${MAX_ACTIVE_SUBSCRIPTIONS} active webhook subscriptions.`,
        reason: "TOO_MANY_SUBSCRIPTIONS",
      });
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
