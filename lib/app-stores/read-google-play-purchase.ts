import "server-only";
import type { GooglePlayConfig } from "@/lib/config/app-stores";
import type { GooglePlayApi, PlayOrder } from "@/lib/app-stores/google-play-api";
import { googleProductFacts, googleSubscriptionFacts, moneyMinor } from "@/lib/app-stores/google-play-facts";
import {
  type DeveloperNotification,
  oneTimeTypes,
  subscriptionTypes,
  voidedProductType,
  voidedRefundType,
} from "@/lib/app-stores/google-play-notification";
import type { SubscriptionState } from "@/lib/app-stores/change-subscription-state";
import type { StoreTransactionFacts } from "@/lib/app-stores/store-transaction";

type Acknowledgement = { kind: "product" | "subscription"; productId: string; token: string };

/** What Google's API says of a notification's purchase, read before the transaction that records it. */
export type GooglePlayPurchaseState = {
  type: string;
  at: Date;
  /** The purchase to record (idempotently), or why there is none. */
  facts: StoreTransactionFacts | null;
  skipped?: "pending" | "canceled" | "test purchase" | "no paid order";
  kind: "test" | "one_time" | "subscription" | "voided" | "unknown";
  acknowledge?: Acknowledgement;
  subscription?: {
    token: string;
    state: SubscriptionState;
    expiresAt: Date | null;
    graceUntil: Date | null;
    /** The subscription this one replaces (a resubscription, an upgrade or downgrade), by its purchase token. */
    linkedToken?: string;
  };
  /** For a voided purchase: how much of the order Google has refunded in all, in minor units. */
  refundedTotalMinor?: number;
};

const subscriptionStateOf: Record<string, SubscriptionState> = {
  SUBSCRIPTION_STATE_ACTIVE: "active",
  SUBSCRIPTION_STATE_CANCELED: "canceled",
  SUBSCRIPTION_STATE_IN_GRACE_PERIOD: "grace_period",
  SUBSCRIPTION_STATE_ON_HOLD: "on_hold",
  SUBSCRIPTION_STATE_PAUSED: "paused",
  SUBSCRIPTION_STATE_EXPIRED: "expired",
};

/**
 * Reads the purchase a verified notification names from the Play Developer
 * API (a notification carries only a token; the API is the truth): a
 * one-time product through purchases.products.get, a subscription through
 * purchases.subscriptionsv2.get, and in both cases the order (orders.get) for
 * the amount the buyer paid. A purchase still pending or canceled before
 * payment, or a license tester's purchase when those are not accepted, gives
 * no facts, so nothing is recorded for it.
 */
export async function readGooglePlayPurchase(
  api: GooglePlayApi,
  config: GooglePlayConfig,
  n: DeveloperNotification,
): Promise<GooglePlayPurchaseState> {
  const at = new Date(Number(n.eventTimeMillis));
  if (n.oneTimeProductNotification) {
    const { notificationType, purchaseToken: token, sku } = n.oneTimeProductNotification;
    const type = oneTimeTypes[notificationType as 1 | 2] ?? `ONE_TIME_${notificationType}`;
    if (notificationType !== 1) return { type, at, facts: null, skipped: "canceled", kind: "one_time" };
    const purchase = await api.getProduct(sku, token);
    if (purchase.purchaseState === 2) return { type, at, facts: null, skipped: "pending", kind: "one_time" };
    if (purchase.purchaseState !== 0) return { type, at, facts: null, skipped: "canceled", kind: "one_time" };
    if (purchase.purchaseType === 0 && !config.acceptTestPurchases)
      return { type, at, facts: null, skipped: "test purchase", kind: "one_time" };
    const order = await api.getOrder(purchase.orderId ?? "");
    return {
      type,
      at,
      kind: "one_time",
      facts: googleProductFacts(purchase, order, sku, at),
      ...(purchase.acknowledgementState === 0 ? { acknowledge: { kind: "product", productId: sku, token } } : {}),
    };
  }
  if (n.subscriptionNotification) {
    const { notificationType, purchaseToken: token } = n.subscriptionNotification;
    const type = subscriptionTypes[notificationType] ?? `SUBSCRIPTION_${notificationType}`;
    const sub = await api.getSubscription(token);
    const item = sub.lineItems?.[0];
    const state: SubscriptionState | undefined =
      notificationType === 12 ? "revoked" : subscriptionStateOf[sub.subscriptionState ?? ""];
    const expiresAt = item?.expiryTime ? new Date(item.expiryTime) : null;
    const subscription = state
      ? {
          token,
          state,
          expiresAt,
          graceUntil: state === "grace_period" ? expiresAt : null,
          ...(sub.linkedPurchaseToken ? { linkedToken: sub.linkedPurchaseToken } : {}),
        }
      : undefined;
    if (sub.testPurchase && !config.acceptTestPurchases)
      return { type, at, facts: null, skipped: "test purchase", kind: "subscription" };
    if (!item?.latestSuccessfulOrderId || !state)
      return { type, at, facts: null, skipped: "no paid order", kind: "subscription", subscription };
    const order = await api.getOrder(item.latestSuccessfulOrderId);
    return {
      type,
      at,
      kind: "subscription",
      facts: googleSubscriptionFacts(token, sub, order, at),
      subscription,
      ...(sub.acknowledgementState === "ACKNOWLEDGEMENT_STATE_PENDING" && item.productId
        ? { acknowledge: { kind: "subscription", productId: item.productId, token } }
        : {}),
    };
  }
  if (n.voidedPurchaseNotification) {
    const v = n.voidedPurchaseNotification;
    return readVoidedPurchase(api, config, { ...v, at });
  }
  if (n.testNotification) return { type: "TEST", at, facts: null, kind: "test" };
  return { type: "UNKNOWN", at, facts: null, kind: "unknown" };
}

/**
 * A voided purchase (a refund or chargeback), from its notification or from
 * purchases.voidedpurchases.list: its order, and the purchase behind it so
 * that a purchase never notified can be recorded before its refund. Without
 * a product type (the list gives none), the order's line item tells.
 */
export async function readVoidedPurchase(
  api: GooglePlayApi,
  config: GooglePlayConfig,
  v: { purchaseToken: string; orderId: string; productType?: number; refundType: number; at: Date },
): Promise<GooglePlayPurchaseState> {
  const type = "VOIDED_PURCHASE";
  const at = v.at;
  const order = await api.getOrder(v.orderId);
  const line = order.lineItems?.[0];
  const productId = line?.productId ?? "";
  const subscription =
    v.productType === undefined ? Boolean(line?.subscriptionDetails) : v.productType === voidedProductType.subscription;
  let facts: StoreTransactionFacts;
  if (subscription) {
    const sub = await api.getSubscription(v.purchaseToken);
    if (sub.testPurchase && !config.acceptTestPurchases)
      return { type, at, facts: null, skipped: "test purchase", kind: "voided" };
    facts = googleSubscriptionFacts(v.purchaseToken, sub, order, at);
  } else {
    const purchase = await api.getProduct(productId, v.purchaseToken);
    if (purchase.purchaseType === 0 && !config.acceptTestPurchases)
      return { type, at, facts: null, skipped: "test purchase", kind: "voided" };
    facts = googleProductFacts(purchase, order, productId, at);
  }
  return { type, at, facts, kind: "voided", refundedTotalMinor: refundedTotal(order, v.refundType) };
}

/**
 * How much of an order Google refunded: all of it for a full refund; for a
 * quantity-based partial refund, the sum of the order's partial refunds so far.
 */
function refundedTotal(order: PlayOrder, refundType: number): number {
  const total = moneyMinor(order.total).amountMinor;
  if (refundType === voidedRefundType.full) return total;
  const partial = (order.orderHistory?.partialRefundEvents ?? []).reduce(
    (sum, e) => sum + (e.refundDetails?.total ? moneyMinor(e.refundDetails.total).amountMinor : 0),
    0,
  );
  return Math.min(partial, total);
}
