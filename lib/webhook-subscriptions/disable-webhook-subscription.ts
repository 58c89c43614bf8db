import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { loadManagedOrg } from "@/lib/webhook-subscriptions/load-managed-org";
import { findOrgSubscription, requireActReason } from "@/lib/webhook-subscriptions/subscription-rules";

/**
 * Stops a subscription for good, with the reason its manager gave (audited):
 * no new deliveries, and those still pending are not sent. A subscription of
 * another organization is NOT_FOUND, whoever asks through this one.
 */
export async function disableWebhookSubscription({
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
  return db().$transaction(async (tx) => {
    const sub = await findOrgSubscription(tx, org.id, subscriptionId);
    if (sub.status !== "active")
      throw new AppError("CONFLICT", {
        userMessage: "This subscription is already stopped.",
        reason: "ALREADY_DISABLED",
      });
    const now = new Date();
    await tx.webhookSubscription.update({
      where: { id: sub.id },
      data: { status: "disabled", disabledAt: now, disabledReason: why },
    });
    await appendAuditEvent(tx, {
      actor: by,
      action: "webhook_subscription.disabled",
      subject: { type: "webhook_subscription", id: sub.id },
      state: { orgId: org.id, status: "disabled" },
      data: { orgId: org.id, reason: why },
    });
  });
}
