import "server-only";
import type { Tx } from "@/lib/db/client";
import type { NotificationOutcome } from "@/lib/app-stores/store-transaction";
import type { AppleConfig } from "@/lib/config/app-stores";
import { enqueueEffect } from "@/lib/outbox/enqueue-effect";
import type { VerifiedAppleNotification } from "@/lib/app-stores/apple-verifier";
import { appleTransactionFacts } from "@/lib/app-stores/apple-transaction-facts";
import { recordStoreTransaction, type RecordedStoreTransaction } from "@/lib/app-stores/record-store-transaction";
import { changeSubscriptionState, type SubscriptionState } from "@/lib/app-stores/change-subscription-state";
import { refundStoreTransaction, reverseStoreTransactionRefund } from "@/lib/app-stores/refund-store-transaction";
import { sendAppleConsumptionEffect } from "@/lib/app-stores/send-apple-consumption";
import { recordAppleUpgradeCreditEffect } from "@/lib/app-stores/record-apple-upgrade-credit";
import { actOnAppleFundingNotification } from "@/lib/app-stores/act-on-apple-funding-notification";
import { flagUnmappedRenewalProducts } from "@/lib/app-stores/flag-unmapped-renewal-products";

export type { NotificationOutcome };

const subscriptionStateOf: Record<string, SubscriptionState> = {
  SUBSCRIBED: "active",
  DID_RENEW: "active",
  OFFER_REDEEMED: "active",
  GRACE_PERIOD_EXPIRED: "expired",
  EXPIRED: "expired",
};

/**
 * What one verified App Store notification does, in the transaction that
 * records its id. The purchase it carries is recorded first (idempotent by
 * transaction id), so the order of arrival never loses money: a refund whose
 * purchase notification was missed records the purchase, then the refund.
 * Then, by type: a subscription's state (in the store's timestamp order),
 * refunds and their reversal, revocation, and consumption requests. Renewal
 * info that names a product not mapped for the next renewal (a downgrade or
 * crossgrade) is told to finance at once (flagUnmappedRenewalProducts).
 */
export async function actOnAppleNotification(
  tx: Tx,
  verified: VerifiedAppleNotification,
  config: AppleConfig,
): Promise<NotificationOutcome> {
  const outcome = await actOnApplePurchase(tx, verified, config);
  const { renewal, transaction } = verified;
  const next = renewal?.autoRenewProductId;
  const flagged =
    next && transaction?.originalTransactionId
      ? await flagUnmappedRenewalProducts(tx, {
          store: "apple",
          subscriptionId: transaction.originalTransactionId,
          productIds: [next],
          renewsAt: renewal.renewalDate ? new Date(renewal.renewalDate) : null,
        })
      : [];
  if (flagged.length === 0) return outcome;
  return { ...outcome, note: `${outcome.note ?? ""}; renews into ${flagged.join(", ")}, not mapped: finance alerted` };
}

async function actOnApplePurchase(
  tx: Tx,
  verified: VerifiedAppleNotification,
  config: AppleConfig,
): Promise<NotificationOutcome> {
  // A subscription that funds a release line or host is a funder's payments, not an order.
  const asFunding = await actOnAppleFundingNotification(tx, verified, config);
  if (asFunding) return asFunding;
  const { notification, transaction, renewal } = verified;
  const type = String(notification.notificationType ?? "");
  const at = new Date(notification.signedDate ?? Date.now());
  const facts = transaction ? appleTransactionFacts(transaction) : null;
  const recorded: RecordedStoreTransaction | null = facts
    ? await recordStoreTransaction(tx, facts, { commissionBps: config.commissionBps })
    : null;
  const recordedNote = !recorded
    ? "no transaction"
    : recorded.recorded
      ? `order ${recorded.orderId}${recorded.created ? " recorded" : ""}`
      : `no order (${recorded.reason.toLowerCase()})`;

  if (!facts || !recorded?.recorded) {
    if (type === "TEST") return { outcome: "handled", note: "test notification" };
    return { outcome: recorded ? "ignored" : "unhandled_type", note: `${type}: ${recordedNote}` };
  }
  const subscription = { store: "apple" as const, originalTransactionId: facts.originalTransactionId, at };
  switch (type) {
    case "SUBSCRIBED":
    case "DID_RENEW":
    case "OFFER_REDEEMED":
    case "GRACE_PERIOD_EXPIRED":
    case "EXPIRED": {
      const applied = recorded.licenseId
        ? await changeSubscriptionState(tx, {
            ...subscription,
            state: subscriptionStateOf[type],
            expiresAt: facts.expiresAt,
          })
        : "unknown";
      return { outcome: "handled", note: `${type}: ${recordedNote}; subscription ${applied}` };
    }
    case "DID_CHANGE_RENEWAL_PREF": {
      // An upgrade (or a crossgrade Apple applies at once) comes with the new product's purchase: recorded
      // above, its license moved to that product's plan (recordStoreTransaction). A downgrade takes effect at
      // the renewal that bills the new product, and the license follows then.
      if (notification.subtype !== "UPGRADE")
        return { outcome: "handled", note: `${type}: the new product applies from the next renewal` };
      const applied = recorded.licenseId
        ? await changeSubscriptionState(tx, { ...subscription, state: "active", expiresAt: facts.expiresAt })
        : "unknown";
      // The old transaction's prorated refund is in the customer's history only: read it after the commit.
      if (config.api)
        await enqueueEffect(
          tx,
          recordAppleUpgradeCreditEffect,
          { originalTransactionId: facts.originalTransactionId },
          `${recordAppleUpgradeCreditEffect.kind}:${notification.notificationUUID}`,
        );
      return { outcome: "handled", note: `${type} UPGRADE: ${recordedNote}; subscription ${applied}` };
    }
    case "DID_FAIL_TO_RENEW": {
      const grace = notification.subtype === "GRACE_PERIOD" && renewal?.gracePeriodExpiresDate;
      const applied = await changeSubscriptionState(tx, {
        ...subscription,
        state: grace ? "grace_period" : "billing_retry",
        graceUntil: grace ? new Date(renewal.gracePeriodExpiresDate as number) : null,
      });
      return { outcome: "handled", note: `${type}: subscription ${applied}` };
    }
    case "REFUND": {
      const { refunded } = await refundStoreTransaction(tx, {
        store: "apple",
        transactionId: facts.transactionId,
        shareMilli: transaction?.revocationPercentage,
        reason: "refunded by the App Store",
      });
      return {
        outcome: refunded ? "handled" : "ignored",
        note: `${type}: ${recordedNote}; refund ${refunded ? "recorded" : "already recorded"}`,
      };
    }
    case "REFUND_REVERSED": {
      const { reversed } = await reverseStoreTransactionRefund(tx, {
        store: "apple",
        transactionId: facts.transactionId,
        reason: "the App Store reversed its refund",
      });
      return {
        outcome: reversed ? "handled" : "ignored",
        note: `${type}: refund ${reversed ? "reversed" : "not found or already reversed"}`,
      };
    }
    case "REVOKE": {
      await tx.storeTransaction.update({
        where: { store_transactionId: { store: "apple", transactionId: facts.transactionId } },
        data: { status: "revoked" },
      });
      const applied = recorded.licenseId
        ? await changeSubscriptionState(tx, { ...subscription, state: "revoked" })
        : "unknown";
      return { outcome: "handled", note: `${type}: transaction revoked; subscription ${applied}` };
    }
    case "CONSUMPTION_REQUEST": {
      if (!config.consumptionConsent || !config.api)
        return { outcome: "ignored", note: `${type}: not answered (no buyer consent to share, or no API key)` };
      await enqueueEffect(
        tx,
        sendAppleConsumptionEffect,
        { transactionId: facts.transactionId, orderId: recorded.orderId },
        `${sendAppleConsumptionEffect.kind}:${notification.notificationUUID}`,
      );
      return { outcome: "handled", note: `${type}: consumption information queued` };
    }
    default:
      return { outcome: recorded.created ? "handled" : "unhandled_type", note: `${type}: ${recordedNote}` };
  }
}
