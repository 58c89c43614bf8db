import "server-only";
import type { Tx } from "@/lib/db/client";
import type { AppleConfig } from "@/lib/config/app-stores";
import { applyStoreFundingState, type StoreFundingStatus } from "@/lib/funding/apply-store-funding-state";
import type { VerifiedAppleNotification } from "@/lib/app-stores/apple-verifier";
import { appleTransactionFacts } from "@/lib/app-stores/apple-transaction-facts";
import { fundingProductOf, recordStoreFunding } from "@/lib/app-stores/record-store-funding";
import { currentStoreFundingOf } from "@/lib/funding/end-replaced-store-funding";
import { refundStoreFunding, reverseStoreFundingRefund } from "@/lib/app-stores/refund-store-funding";
import type { NotificationOutcome } from "@/lib/app-stores/store-transaction";
import { enqueueEffect } from "@/lib/outbox/enqueue-effect";
import { recordAppleUpgradeCreditEffect } from "@/lib/app-stores/record-apple-upgrade-credit";

/** Apple's auto-renew status in the renewal info: 0, the funder turned renewal off. */
const AUTO_RENEW_OFF = 0;

/**
 * What a verified App Store notification does to a funding bought in the app (a subscription product mapped
 * to funding), in the transaction that records its id; null when its transaction is not of such a product
 * (the notification is an order's, actOnAppleNotification goes on). The paid period it carries is recorded
 * first (recordStoreFunding, idempotent by transaction id), so a refund whose purchase notification was
 * missed records the payment, then the refund. Then, by type, in the order of Apple's signedDate:
 * SUBSCRIBED, DID_RENEW, OFFER_REDEEMED active (canceling when its renewal info says renewal is off);
 * DID_CHANGE_RENEWAL_STATUS canceling or active again; DID_FAIL_TO_RENEW past due (Apple retries, or grace
 * period); EXPIRED, GRACE_PERIOD_EXPIRED and REVOKE ended; REFUND and REFUND_REVERSED reverse the ledger
 * and undo that. DID_CHANGE_RENEWAL_PREF (another product of the group from the next renewal) changes
 * nothing by itself; the period that bills the new product funds its target (recordStoreFunding). Its
 * UPGRADE subtype bills the new product at once (recorded above) and credits the unused part of the old
 * period, which only the customer's history shows: read after the commit, as for a license
 * (recordAppleUpgradeCreditEffect), and recorded as the old funding's period refunded by that share.
 */
export async function actOnAppleFundingNotification(
  tx: Tx,
  verified: VerifiedAppleNotification,
  config: AppleConfig,
): Promise<NotificationOutcome | null> {
  const { notification, transaction, renewal } = verified;
  if (!transaction) return null;
  const facts = appleTransactionFacts(transaction);
  const product = await fundingProductOf(tx, "apple", facts.productId);
  if (!product) return null;
  const type = String(notification.notificationType ?? "");
  const at = new Date(notification.signedDate ?? Date.now());
  const recorded = await recordStoreFunding(tx, facts, product, { commissionBps: config.commissionBps });
  const recordedNote = recorded.recorded
    ? `funding ${recorded.fundingId} payment ${recorded.paymentId}${recorded.created ? " recorded" : ""}`
    : `no payment (${recorded.reason.toLowerCase()})`;
  if (!recorded.fundingId) return { outcome: "ignored", note: `${type}: ${recordedNote}` };
  // The state a notification carries is the subscription's, so it is the state of the funding that follows
  // the subscription now: after a product change, not the replaced funding an older period paid into.
  const fundingId = (await currentStoreFundingOf(tx, "apple", facts.originalTransactionId))?.id ?? recorded.fundingId;
  const replacedNote = recorded.recorded && recorded.replaced ? `; funding ${recorded.replaced} replaced` : "";
  const actor = { type: "system" as const, id: "apple" };
  const setState = async (status: StoreFundingStatus) => {
    const applied = await applyStoreFundingState(tx, { fundingId, change: { status, at }, actor });
    return {
      outcome: "handled" as const,
      note: `${type}: ${recordedNote}${replacedNote}; funding ${status} ${applied}`,
    };
  };
  switch (type) {
    case "SUBSCRIBED":
    case "DID_RENEW":
    case "OFFER_REDEEMED":
      return setState(renewal?.autoRenewStatus === AUTO_RENEW_OFF ? "canceling" : "active");
    case "DID_CHANGE_RENEWAL_STATUS":
      return setState(notification.subtype === "AUTO_RENEW_DISABLED" ? "canceling" : "active");
    case "DID_FAIL_TO_RENEW":
      return setState("past_due");
    case "EXPIRED":
    case "GRACE_PERIOD_EXPIRED":
    case "REVOKE":
      return setState("canceled");
    case "DID_CHANGE_RENEWAL_PREF": {
      if (notification.subtype !== "UPGRADE" || !config.api)
        return { outcome: "handled", note: `${type}: ${recordedNote}${replacedNote}` };
      await enqueueEffect(
        tx,
        recordAppleUpgradeCreditEffect,
        { originalTransactionId: facts.originalTransactionId },
        `${recordAppleUpgradeCreditEffect.kind}:${notification.notificationUUID}`,
      );
      return { outcome: "handled", note: `${type} UPGRADE: ${recordedNote}${replacedNote}; credit read from history` };
    }
    case "REFUND": {
      const { refunded } = await refundStoreFunding(tx, {
        store: "apple",
        transactionId: facts.transactionId,
        shareMilli: transaction.revocationPercentage,
      });
      return {
        outcome: refunded ? "handled" : "ignored",
        note: `${type}: ${recordedNote}; refund ${refunded ? "recorded" : "already recorded"}`,
      };
    }
    case "REFUND_REVERSED": {
      const { reversed } = await reverseStoreFundingRefund(tx, { store: "apple", transactionId: facts.transactionId });
      return {
        outcome: reversed ? "handled" : "ignored",
        note: `${type}: refund ${reversed ? "reversed" : "not found or already reversed"}`,
      };
    }
    default:
      return {
        outcome: recorded.recorded && recorded.created ? "handled" : "unhandled_type",
        note: `${type}: ${recordedNote}`,
      };
  }
}
