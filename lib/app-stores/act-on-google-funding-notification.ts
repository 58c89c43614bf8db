import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { enqueueEffect } from "@/lib/outbox/enqueue-effect";
import type { GooglePlayConfig } from "@/lib/config/app-stores";
import { applyStoreFundingState, type StoreFundingStatus } from "@/lib/funding/apply-store-funding-state";
import { storeFundingIdOf } from "@/lib/funding/open-store-funding";
import type { GooglePlayPurchaseState } from "@/lib/app-stores/read-google-play-purchase";
import type { SubscriptionState } from "@/lib/app-stores/change-subscription-state";
import { fundingProductOf, recordStoreFunding } from "@/lib/app-stores/record-store-funding";
import { refundStoreFunding } from "@/lib/app-stores/refund-store-funding";
import { acknowledgeGooglePurchaseEffect } from "@/lib/app-stores/acknowledge-google-purchase";
import type { NotificationOutcome } from "@/lib/app-stores/store-transaction";

/**
 * A funding's state from the subscription's state in the Play Developer API: renewal turned off runs to its
 * paid end (canceling); a grace period or account hold is a failed renewal Google retries (past due);
 * expired and revoked end it.
 */
const fundingStatusOf: Record<SubscriptionState, StoreFundingStatus | null> = {
  active: "active",
  canceled: "canceling",
  grace_period: "past_due",
  billing_retry: "past_due",
  on_hold: "past_due",
  paused: "paused",
  expired: "canceled",
  revoked: "canceled",
  refunded: null,
};

/**
 * What a verified Google Play notification does to a funding bought in the app (a subscription mapped to
 * funding), in the transaction that records its message id; null when the purchase is not such a product's
 * and no funding follows its token (an order's: actOnGooglePlayNotification goes on). The latest paid order
 * is recorded first as the funder's payment (recordStoreFunding, idempotent by Google's order id, a renewal
 * having its own), acknowledged after commit as an order's purchase is (else Google refunds it in three
 * days); a voided purchase reverses the ledger as a funding refund does; then the funding's state follows
 * the API's state of the subscription, in the order of Google's eventTimeMillis. A funding product bought
 * as a one-time product is refused (WRONG_PRODUCT_TYPE): a funding renews monthly.
 */
export async function actOnGoogleFundingNotification(
  tx: Tx,
  read: GooglePlayPurchaseState,
  config: GooglePlayConfig,
): Promise<(NotificationOutcome & { orderRecorded?: boolean }) | null> {
  if (read.kind === "test" || read.kind === "unknown") return null;
  const token = read.subscription?.token ?? read.facts?.originalTransactionId ?? null;
  const product = read.facts ? await fundingProductOf(tx, "google", read.facts.productId) : null;
  const following = token
    ? await tx.funding.findUnique({ where: { id: storeFundingIdOf("google", token) }, select: { id: true } })
    : null;
  if (!product && !following) return null;
  const { type } = read;
  if (read.facts && product && read.facts.originalTransactionId === read.facts.transactionId)
    throw new AppError("UNPROCESSABLE", {
      reason: "WRONG_PRODUCT_TYPE",
      userMessage: `The google product ${read.facts.productId} funds a release line or host, which is sold as a subscription.`,
    });
  let fundingId = following?.id ?? null;
  let note = `${type}: no payment (${read.skipped ?? "nothing to record"})`;
  let orderRecorded = false;
  if (read.facts && product) {
    // An item added in the period was paid by an order of its own: each paid order is recorded, oldest first.
    for (const earlier of read.earlierFacts ?? [])
      await recordStoreFunding(tx, earlier, product, { commissionBps: config.commissionBps });
    const recorded = await recordStoreFunding(tx, read.facts, product, { commissionBps: config.commissionBps });
    fundingId = recorded.fundingId ?? fundingId;
    orderRecorded = recorded.recorded && recorded.created;
    note = recorded.recorded
      ? `${type}: funding ${recorded.fundingId} payment ${recorded.paymentId}${recorded.created ? " recorded" : ""}`
      : `${type}: no payment (${recorded.reason.toLowerCase()})`;
    if (recorded.recorded && read.acknowledge)
      await enqueueEffect(
        tx,
        acknowledgeGooglePurchaseEffect,
        read.acknowledge,
        `${acknowledgeGooglePurchaseEffect.kind}:${read.facts.transactionId}`,
      );
    if (recorded.recorded && read.kind === "voided") {
      const { refunded } = await refundStoreFunding(tx, {
        store: "google",
        transactionId: read.facts.transactionId,
        refundedTotalMinor: read.refundedTotalMinor,
      });
      return {
        orderRecorded,
        outcome: refunded ? "handled" : "ignored",
        note: `${note}; refund ${refunded ? "recorded" : "already recorded"}`,
      };
    }
  }
  const status = read.subscription ? fundingStatusOf[read.subscription.state] : null;
  if (!fundingId || !status) return { orderRecorded, outcome: "ignored", note };
  const applied = await applyStoreFundingState(tx, {
    fundingId,
    change: { status, at: read.at },
    actor: { type: "system", id: "google" },
  });
  return { orderRecorded, outcome: "handled", note: `${note}; funding ${status} ${applied}` };
}
