import "server-only";
import type { GooglePlayConfig } from "@/lib/config/app-stores";
import type { GooglePlayApi, PlayOrder, SubscriptionPurchase } from "@/lib/app-stores/google-play-api";
import {
  googleProductFacts,
  googleSubscriptionFacts,
  moneyMinor,
  ownedLineItems,
} from "@/lib/app-stores/google-play-facts";
import {
  type DeveloperNotification,
  oneTimeTypes,
  subscriptionTypes,
  voidedProductType,
  voidedRefundType,
} from "@/lib/app-stores/google-play-notification";
import type { SubscriptionState } from "@/lib/app-stores/change-subscription-state";
import { settledConsentStates, settledPriceChangeStates } from "@/lib/app-stores/google-play-price-states";
import type { StoreTransactionFacts } from "@/lib/app-stores/store-transaction";

type Acknowledgement = { kind: "product" | "subscription"; productId: string; token: string };

/** What Google's API says of a notification's purchase, read before the transaction that records it. */
export type GooglePlayPurchaseState = {
  type: string;
  at: Date;
  /** The purchase to record (idempotently), or why there is none. */
  facts: StoreTransactionFacts | null;
  /**
   * A subscription's other paid orders Google names now (of several line items, each item's latest order:
   * an item added in the period has its own), recorded before `facts`, oldest first.
   */
  earlierFacts?: StoreTransactionFacts[];
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
    /** The products of the items the buyer holds now (each with a paid order): the license's plan follows them. */
    productIds: string[];
    /** What Google will change at a later renewal (a deferred replacement, a price change), for the record. */
    pending: string[];
    /** The products deferred replacements bring in at the next renewal (not held yet, no order yet). */
    renewsInto: string[];
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
    const purchase = await api.getProduct(token);
    const purchaseState = purchase.purchaseStateContext?.purchaseState;
    if (purchaseState === "PENDING") return { type, at, facts: null, skipped: "pending", kind: "one_time" };
    if (purchaseState !== "PURCHASED") return { type, at, facts: null, skipped: "canceled", kind: "one_time" };
    if (purchase.testPurchaseContext && !config.acceptTestPurchases)
      return { type, at, facts: null, skipped: "test purchase", kind: "one_time" };
    const order = await api.getOrder(purchase.orderId ?? "");
    return {
      type,
      at,
      kind: "one_time",
      facts: googleProductFacts(purchase, order, sku, at),
      ...(purchase.acknowledgementState === "ACKNOWLEDGEMENT_STATE_PENDING"
        ? { acknowledge: { kind: "product", productId: sku, token } }
        : {}),
    };
  }
  if (n.subscriptionNotification) {
    const { notificationType, purchaseToken: token } = n.subscriptionNotification;
    const type = subscriptionTypes[notificationType] ?? `SUBSCRIPTION_${notificationType}`;
    const sub = await api.getSubscription(token);
    const owned = ownedLineItems(sub);
    const state: SubscriptionState | undefined =
      notificationType === 12 ? "revoked" : subscriptionStateOf[sub.subscriptionState ?? ""];
    // Of several items, the subscription runs as long as the last of them.
    const expiries = owned.map((i) => (i.expiryTime ? new Date(i.expiryTime).getTime() : Number.NaN));
    const expiresAt = expiries.length && expiries.every(Number.isFinite) ? new Date(Math.max(...expiries)) : null;
    const subscription = state
      ? {
          token,
          state,
          expiresAt,
          graceUntil: state === "grace_period" ? expiresAt : null,
          ...(sub.linkedPurchaseToken ? { linkedToken: sub.linkedPurchaseToken } : {}),
          productIds: owned.map((i) => i.productId as string),
          pending: pendingChanges(sub),
          renewsInto: (sub.lineItems ?? []).flatMap((i) =>
            i.deferredItemReplacement?.productId ? [i.deferredItemReplacement.productId] : [],
          ),
        }
      : undefined;
    if (sub.testPurchase && !config.acceptTestPurchases)
      return { type, at, facts: null, skipped: "test purchase", kind: "subscription" };
    if (owned.length === 0 || !state)
      return { type, at, facts: null, skipped: "no paid order", kind: "subscription", subscription };
    const orderIds = [...new Set(owned.map((i) => i.latestSuccessfulOrderId as string))];
    const paid = (await Promise.all(orderIds.map((id) => api.getOrder(id))))
      .map((order) => googleSubscriptionFacts(token, sub, order, at))
      .sort((a, b) => a.purchasedAt.getTime() - b.purchasedAt.getTime());
    const facts = paid[paid.length - 1];
    return {
      type,
      at,
      kind: "subscription",
      facts,
      earlierFacts: paid.slice(0, -1),
      subscription,
      ...(sub.acknowledgementState === "ACKNOWLEDGEMENT_STATE_PENDING"
        ? { acknowledge: { kind: "subscription", productId: facts.productId, token } }
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
    const purchase = await api.getProduct(v.purchaseToken);
    if (purchase.testPurchaseContext && !config.acceptTestPurchases)
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

/**
 * What Google has scheduled for a later renewal, none of which changes the license or the ledger until the
 * renewal that bills it: an item to be replaced by another product (a deferred replacement; the new plan
 * takes effect with that renewal's order), an item to be removed, a price change or step-up (the renewal's
 * order is recorded at what Google charges then). The states that mean a change is over are Google's own
 * (google-play-price-states.ts).
 */
function pendingChanges(sub: SubscriptionPurchase): string[] {
  const pending: string[] = [];
  for (const item of sub.lineItems ?? []) {
    if (item.deferredItemReplacement?.productId)
      pending.push(`${item.productId} replaced by ${item.deferredItemReplacement.productId} at renewal`);
    if (item.deferredItemRemoval) pending.push(`${item.productId} removed at renewal`);
    const change = item.autoRenewingPlan?.priceChangeDetails;
    if (change?.newPrice && !settledPriceChangeStates.has(change.priceChangeState ?? ""))
      pending.push(
        `${item.productId} price ${priceOf(change.newPrice)} (${change.priceChangeMode ?? "price change"}, ${change.priceChangeState ?? "pending"})`,
      );
    const consent = item.autoRenewingPlan?.priceStepUpConsentDetails;
    if (consent?.newPrice && !settledConsentStates.has(consent.state ?? ""))
      pending.push(
        `${item.productId} price step-up to ${priceOf(consent.newPrice)}: consent ${consent.state ?? "pending"}`,
      );
  }
  return pending;
}

function priceOf(money: PlayOrder["total"]): string {
  return `${money?.units ?? "0"}.${String(Math.round((money?.nanos ?? 0) / 1e7)).padStart(2, "0")} ${money?.currencyCode ?? ""}`;
}
