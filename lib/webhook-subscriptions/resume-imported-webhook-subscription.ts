import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { eventTypesFor } from "@/lib/webhooks/webhook-event-types";
import { loadManagedOrg } from "@/lib/webhook-subscriptions/load-managed-org";
import {
  findOrgSubscription,
  refusePrivateHost,
  requireActReason,
  requireRoomForActiveSubscription,
} from "@/lib/webhook-subscriptions/subscription-rules";
import { isStoppedByImport } from "@/lib/webhook-subscriptions/imported-stop";

/**
 * Resumes a subscription that came stopped with an import (imported-stop.ts), with the reason its manager gave
 * (audited): the same id, URL and events, so the receiver's configuration stands once it trusts this Guildhall's
 * webhook keys. Checks, in order: the caller manages the organization (FORBIDDEN otherwise); a reason; the
 * subscription is this organization's (NOT_FOUND) and stopped by an import (NOT_STOPPED_BY_IMPORT: one stopped
 * here stays so); its events are still its kind's (EVENT_NOT_FOR_ORG); its URL's host does not resolve into a
 * private network (PRIVATE_ADDRESS); the organization holds fewer than the maximum of active subscriptions.
 */
export async function resumeImportedWebhookSubscription({
  slug,
  actor: by,
  subscriptionId,
  reason,
}: {
  slug: string;
  actor: Actor;
  subscriptionId: string;
  reason: string;
}) {
  const org = await loadManagedOrg({ slug, actor: by });
  const why = requireActReason(reason);
  const found = await findOrgSubscription(db(), org.id, subscriptionId);
  const allowed = new Set<string>(eventTypesFor(org.kind));
  if (found.eventTypes.some((t) => !allowed.has(t)))
    throw new AppError("VALIDATION_FAILED", {
      userMessage: `A ${org.kind.toLowerCase()} does not receive all of ${found.eventTypes.join(", ")}: subscribe anew.`,
      reason: "EVENT_NOT_FOR_ORG",
    });
  await refusePrivateHost(found.url);
  return db().$transaction(async (tx) => {
    // Read again in the transaction that changes it: stopped by an import, and still so.
    const sub = await tx.webhookSubscription.findFirst({ where: { id: subscriptionId, orgId: org.id } });
    if (!sub || !isStoppedByImport(sub))
      throw new AppError("CONFLICT", {
        userMessage:
          "Only a subscription that came stopped with an import is resumed; one stopped here stays stopped: subscribe the URL anew.",
        reason: "NOT_STOPPED_BY_IMPORT",
      });
    await requireRoomForActiveSubscription(tx, org.id);
    await tx.webhookSubscription.update({
      where: { id: sub.id },
      data: { status: "active", disabledAt: null, disabledReason: null },
    });
    await appendAuditEvent(tx, {
      actor: by,
      action: "webhook_subscription.resumed",
      subject: { type: "webhook_subscription", id: sub.id },
      state: { orgId: org.id, url: sub.url, eventTypes: sub.eventTypes, status: "active" },
      data: { orgId: org.id, reason: why },
    });
  });
}
