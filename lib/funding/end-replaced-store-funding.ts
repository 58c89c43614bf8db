import "server-only";
import type { Tx } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";

/** The funding that follows a store subscription now: the one holding its id, or null before its first period. */
export async function currentStoreFundingOf(tx: Tx, store: "apple" | "google", subscriptionId: string) {
  return tx.funding.findFirst({
    where: { provider: store, providerSubscriptionId: subscriptionId },
    select: { id: true },
  });
}

/**
 * Ends a store funding whose subscription moved to another funding product (a line or host of its own), in
 * the transaction that records the new product's first paid period: it ends when that period starts, gives
 * the subscription's id up to the funding that follows it now, and says so in the audit log. Its payments
 * stay where they were posted: each period funded the target it was bought for. Ended whatever state a
 * notification set last, since no later notification of the subscription is about this funding any more;
 * its storeStateAt is left as it was (a purchase date is not a notification's clock), so a later change back
 * to its product makes it follow the store again.
 */
export async function endReplacedStoreFunding(
  tx: Tx,
  {
    fundingId,
    change,
    actor,
  }: { fundingId: string; change: { at: Date; by: string; productId: string }; actor: Actor },
) {
  const [funding] = await tx.$queryRaw<{ status: string; provider: string }[]>`
    SELECT "status", "provider" FROM "Funding" WHERE "id" = ${fundingId} FOR UPDATE`;
  if (!funding) return;
  await tx.funding.update({
    where: { id: fundingId },
    data: {
      status: "canceled",
      canceledAt: funding.status === "canceled" ? undefined : change.at,
      providerSubscriptionId: null,
    },
  });
  await appendAuditEvent(tx, {
    actor,
    action: "funding.replaced",
    subject: { type: "funding", id: fundingId },
    state: { status: "canceled", at: change.at, replacedBy: change.by },
    data: {
      from: funding.status,
      to: "canceled",
      channel: funding.provider,
      replacedBy: change.by,
      productId: change.productId,
    },
  });
}
