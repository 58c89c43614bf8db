import "server-only";
import type { Tx } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import type { FundingSubscription } from "@/lib/payment-provider/provider";

/**
 * Our state of a monthly funding from its subscription as the provider holds it now (read after the event,
 * so events arriving out of order all end in the provider's current state):
 * canceled → canceled; set to end at the period's end → canceling (even while a payment is retried: it ends
 * anyway); past due or unpaid (a renewal failed and
 * the provider retries) → past_due; active → active once a payment was recorded (before that the funding
 * stays pending: its first invoice's payment makes it active). Answers whether anything changed. A
 * subscription of another provider than the funding's changes nothing (a Stripe-signed event naming a
 * funding paid through the simulated provider, say), nor one other than the funding's own.
 */
export async function applyFundingSubscription(
  tx: Tx,
  {
    fundingId,
    subscription: sub,
    actor,
  }: { fundingId: string; subscription: FundingSubscription & { provider: string }; actor: Actor },
): Promise<{ changed: boolean; status: string }> {
  const [funding] = await tx.$queryRaw<
    { status: string; provider: string; providerSubscriptionId: string | null }[]
  >`SELECT "status", "provider", "providerSubscriptionId" FROM "Funding" WHERE "id" = ${fundingId} FOR UPDATE`;
  if (!funding) return { changed: false, status: "unknown" };
  if (funding.provider !== sub.provider) return { changed: false, status: funding.status };
  if (funding.providerSubscriptionId && funding.providerSubscriptionId !== sub.id)
    return { changed: false, status: funding.status };
  let status = funding.status;
  if (sub.status === "canceled") status = "canceled";
  else if (funding.status === "pending" || funding.status === "canceled") status = funding.status;
  else if (sub.cancelAtPeriodEnd) status = "canceling";
  else if (sub.status === "past_due" || sub.status === "unpaid") status = "past_due";
  else if (sub.status === "active" || sub.status === "trialing") status = "active";
  const changed = status !== funding.status || !funding.providerSubscriptionId;
  if (!changed) return { changed: false, status };
  await tx.funding.update({
    where: { id: fundingId },
    data: {
      status,
      providerSubscriptionId: sub.id,
      ...(status === "canceled" && funding.status !== "canceled" ? { canceledAt: new Date() } : {}),
    },
  });
  if (status !== funding.status)
    await appendAuditEvent(tx, {
      actor,
      action: `funding.${status}`,
      subject: { type: "funding", id: fundingId },
      state: { status, subscriptionStatus: sub.status, cancelAtPeriodEnd: sub.cancelAtPeriodEnd },
      data: { from: funding.status, to: status },
    });
  return { changed: true, status };
}
