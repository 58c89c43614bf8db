import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { currencyExponent, isKnownCurrency } from "@/lib/money/currency";
import type { PlayOrder, ProductPurchase, SubscriptionPurchase } from "@/lib/app-stores/google-play-api";
import type { StoreTransactionFacts } from "@/lib/app-stores/store-transaction";

const malformed = (what: string) =>
  new AppError("BAD_REQUEST", {
    reason: "MALFORMED_TRANSACTION",
    userMessage: `Google Play's purchase lacks a valid ${what}.`,
  });

/**
 * A Google `Money` (whole units as a decimal string, and nanos) in minor units
 * of its currency; an amount that is not a whole number of minor units is
 * refused rather than rounded.
 */
export function moneyMinor(money: PlayOrder["total"]): { amountMinor: number; currency: string } {
  const currency = money?.currencyCode ?? "";
  if (!/^[A-Z]{3}$/.test(currency) || !isKnownCurrency(currency)) throw malformed("currency");
  if (!/^-?\d{1,15}$/.test(money?.units ?? "0")) throw malformed("amount");
  const exponent = currencyExponent(currency);
  const nanos = BigInt(money?.nanos ?? 0);
  const perMinor = 10n ** BigInt(9 - exponent);
  if (nanos % perMinor !== 0n) throw malformed("amount in whole minor units");
  const minor = BigInt(money?.units ?? "0") * 10n ** BigInt(exponent) + nanos / perMinor;
  if (minor < 0n || minor > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed("amount");
  return { amountMinor: Number(minor), currency };
}

const time = (value: string | null | undefined, what: string) => {
  const at = value ? new Date(value) : null;
  if (!at || Number.isNaN(at.getTime())) throw malformed(what);
  return at;
};

/** The amount of an order: its total, what the buyer paid (taxes included, as Apple's price is). */
function orderAmount(order: PlayOrder) {
  const { amountMinor, currency } = moneyMinor(order.total);
  return { totalMinor: amountMinor, currency };
}

/**
 * A one-time product's purchase (purchases.productsv2) and its order
 * (orders.get). Google's order id is the transaction; a one-time purchase is
 * its own original. obfuscatedExternalAccountId carries the app account token.
 * The quantity is the purchase's line item's; a purchase of several products
 * at once is refused (422 SEVERAL_PRODUCTS): a Guildhall order sells one
 * product's tickets, and the order's total could not be split between them.
 */
export function googleProductFacts(
  purchase: ProductPurchase,
  order: PlayOrder,
  productId: string,
  at: Date,
): StoreTransactionFacts {
  if (!purchase.orderId || purchase.orderId !== order.orderId) throw malformed("order id");
  const items = purchase.productLineItem ?? [];
  if (items.some((i) => i.productId !== productId))
    throw new AppError("UNPROCESSABLE", {
      reason: "SEVERAL_PRODUCTS",
      userMessage: "A Google Play purchase of several products at once is not taken; each must be bought alone.",
    });
  const quantity = items.reduce((sum, i) => sum + (i.productOfferDetails?.quantity ?? 1), 0) || 1;
  if (!Number.isSafeInteger(quantity) || quantity < 1) throw malformed("quantity");
  const { totalMinor, currency } = orderAmount(order);
  return {
    store: "google",
    transactionId: purchase.orderId,
    originalTransactionId: purchase.orderId,
    productId,
    purchasedAt: time(purchase.purchaseCompletionTime, "purchase time"),
    expiresAt: null,
    unitPriceMinor: Math.floor(totalMinor / quantity),
    quantity,
    totalMinor,
    currency,
    accountToken: purchase.obfuscatedExternalAccountId ?? null,
    purchasedByAccount: true,
    signedAt: at,
  };
}

type LineItem = NonNullable<SubscriptionPurchase["lineItems"]>[number];

/**
 * The items of a subscription the buyer holds now: each has a paid order. An item a deferred replacement
 * will bring (the new product, from the renewal that bills it) has none yet, nor has an item still pending.
 */
export function ownedLineItems(subscription: SubscriptionPurchase): LineItem[] {
  return (subscription.lineItems ?? []).filter((i) => i.productId && i.latestSuccessfulOrderId);
}

/**
 * A subscription (purchases.subscriptionsv2.get) and one of its orders (the
 * first purchase, a renewal, or an item added; each has its own order id).
 * The purchase token is the subscription's identity, as Apple's original
 * transaction id is. The product is the item that order paid for (of several
 * line items, the one whose latest order it is; an older order, the product on
 * the order itself); the order's own service period end, when Google states it,
 * is what the order pays until (a prorated order of an added item pays to the
 * same end as the rest).
 */
export function googleSubscriptionFacts(
  token: string,
  subscription: SubscriptionPurchase,
  order: PlayOrder,
  at: Date,
): StoreTransactionFacts {
  if (!order.orderId) throw malformed("order id");
  const item =
    ownedLineItems(subscription).find((i) => i.latestSuccessfulOrderId === order.orderId) ??
    (subscription.lineItems ?? []).find((i) => i.productId === order.lineItems?.[0]?.productId) ??
    subscription.lineItems?.[0];
  if (!item?.productId) throw malformed("product id");
  const { totalMinor, currency } = orderAmount(order);
  const latest = item.latestSuccessfulOrderId === order.orderId;
  const period = order.lineItems?.find((l) => l.productId === item.productId)?.subscriptionDetails;
  return {
    store: "google",
    transactionId: order.orderId,
    originalTransactionId: token,
    productId: item.productId,
    purchasedAt: time(order.createTime ?? subscription.startTime, "purchase time"),
    expiresAt: latest && item.expiryTime ? time(item.expiryTime, "expiry time") : null,
    ...(period?.servicePeriodEndTime ? { paidUntil: time(period.servicePeriodEndTime, "service period end") } : {}),
    unitPriceMinor: totalMinor,
    quantity: 1,
    totalMinor,
    currency,
    accountToken: subscription.externalAccountIdentifiers?.obfuscatedExternalAccountId ?? null,
    purchasedByAccount: true,
    signedAt: at,
  };
}
