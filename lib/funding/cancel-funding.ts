import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { assertPermitted } from "@/lib/access/permission";
import { auditActorOf, type UserActor } from "@/lib/access/actor";
import { providerFor } from "@/lib/payment-provider/provider-for";
import { channelLabel, isStoreChannel } from "@/lib/payment-provider/payment-channels";
import { withProviderErrors } from "@/lib/payment-provider/with-provider-errors";
import { applyFundingSubscription } from "@/lib/funding/apply-funding-subscription";

/**
 * The funder stops their monthly funding from renewing, with a reason: the provider's subscription is set to
 * end at the period already paid for (the hosts keep what was paid), and the funding is `canceling` until the
 * provider ends it (its `customer.subscription.deleted` event). Only the funder may; one paid through an app
 * store is stopped in the store (CANCEL_THROUGH_STORE); a one-time funding, one
 * not paid yet, or one already ending is refused with what is true. Pressing it twice cancels once (the
 * provider call is keyed by the funding).
 */
export async function cancelFunding({ actor, ...input }: { actor: UserActor; fundingId: string; reason: string }) {
  const funding = await db().$transaction(async (tx) => {
    await assertPermitted(tx, actor, "signed-in");
    const row = await tx.funding.findUnique({ where: { id: input.fundingId } });
    if (!row) throw new AppError("NOT_FOUND", { userMessage: "No such funding.", reason: "UNKNOWN_FUNDING" });
    if (row.funderUserId !== actor.id)
      throw new AppError("FORBIDDEN", {
        userMessage: "Only the funder can cancel their funding.",
        reason: "NOT_THE_FUNDER",
      });
    return row;
  });
  if (isStoreChannel(funding.provider))
    throw new AppError("CONFLICT", {
      userMessage: `This funding is a subscription in ${channelLabel(funding.provider)}: stop it in the store's subscription settings, and the store's notification ends it here.`,
      reason: "CANCEL_THROUGH_STORE",
    });
  if (funding.interval !== "month")
    throw new AppError("CONFLICT", {
      userMessage: "A one-time funding has nothing to cancel.",
      reason: "NOT_RECURRING",
    });
  if (funding.status === "canceled" || funding.status === "canceling")
    throw new AppError("CONFLICT", {
      userMessage:
        funding.status === "canceled"
          ? "This funding has already ended."
          : "This funding already stops renewing at the end of its paid period.",
      reason: "ALREADY_CANCELED",
    });
  if (!funding.providerSubscriptionId)
    throw new AppError("CONFLICT", {
      userMessage: "This funding's first payment has not come through yet; there is nothing to cancel.",
      reason: "NOT_STARTED",
    });
  const subscriptionId = funding.providerSubscriptionId;
  const sub = await withProviderErrors(
    () => providerFor(funding.provider).cancelFundingAtPeriodEnd(subscriptionId, `funding-cancel:${funding.id}`),
    "cancellation",
  );
  return db().$transaction(async (tx) => {
    const applied = await applyFundingSubscription(tx, {
      fundingId: funding.id,
      subscription: { ...sub, provider: funding.provider },
      actor: auditActorOf(actor),
    });
    await tx.funding.update({ where: { id: funding.id }, data: { cancelReason: input.reason } });
    await appendAuditEvent(tx, {
      actor: auditActorOf(actor),
      action: "funding.cancel_requested",
      subject: { type: "funding", id: funding.id },
      state: { status: applied.status, endsAt: sub.currentPeriodEnd },
      data: { reason: input.reason, endsAt: sub.currentPeriodEnd?.toISOString() ?? null },
    });
    return { status: applied.status, endsAt: sub.currentPeriodEnd };
  });
}
