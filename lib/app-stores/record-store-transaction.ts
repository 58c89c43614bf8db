import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { lockNameForTransaction, advisoryLockNames } from "@/lib/db/advisory-locks";
import { recordStorePurchase } from "@/lib/payments/record-store-purchase";
import { createPendingLicense } from "@/lib/licensing/create-pending-license";
import { changeLicensePlan } from "@/lib/licensing/change-license-plan";
import { getStoreProductOrThrow } from "@/lib/app-stores/store-products";
import { userOfAppAccountToken } from "@/lib/app-stores/app-account-token";
import type { StoreTransactionFacts } from "@/lib/app-stores/store-transaction";

export type RecordedStoreTransaction =
  | { recorded: true; orderId: string; created: boolean; licenseId: string | null }
  | { recorded: false; reason: "FAMILY_SHARED" | "FREE" };

/**
 * Makes sure a store purchase is a paid order, in the caller's transaction;
 * every notification that carries a transaction calls it first, so a missed
 * or late purchase notification is made good by the next one (a renewal, a
 * refund) and by reconciliation. Idempotent by the store's transaction id.
 * Checks, in order: the product is mapped (else UNPROCESSABLE, UNKNOWN_PRODUCT);
 * the amount is a whole number of the currency's minor units; for a license,
 * the app account token names an admin of the product's theater (else
 * FORBIDDEN, BUYER_NOT_THEATER_ADMIN): a license lands on a theater only
 * through someone who may act for it. A purchase shared through Family
 * Sharing, or a free one (a trial), makes no order.
 *
 * The purchases of one subscription are serialized by an advisory lock, so
 * two instances recording its first purchase and a renewal at once make one
 * license and two orders, never two licenses.
 */
export async function recordStoreTransaction(
  tx: Tx,
  t: StoreTransactionFacts,
  terms: { commissionBps: number },
): Promise<RecordedStoreTransaction> {
  if (!t.purchasedByAccount) return { recorded: false, reason: "FAMILY_SHARED" };
  await lockNameForTransaction(tx, advisoryLockNames.storePurchase(t.store, t.originalTransactionId));
  const known = await tx.storeTransaction.findUnique({
    where: { store_transactionId: { store: t.store, transactionId: t.transactionId } },
  });
  const product = await getStoreProductOrThrow(tx, { store: t.store, productId: t.productId });
  // A funding product's purchases are a funder's payments, not orders (recordStoreFunding).
  if (product.kind === "funding" || !product.theaterOrgId)
    throw new AppError("UNPROCESSABLE", {
      reason: "WRONG_PRODUCT_TYPE",
      userMessage: `The ${t.store} product ${t.productId} funds a release line or host; it is not an order.`,
    });
  const theaterOrgId = product.theaterOrgId;
  if (known)
    return {
      recorded: true,
      orderId: known.orderId,
      created: false,
      licenseId: await licenseOfSubscription(tx, t),
    };
  const amountMinor = t.totalMinor ?? t.unitPriceMinor * t.quantity;
  if (amountMinor === 0) return { recorded: false, reason: "FREE" };
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0)
    throw new AppError("UNPROCESSABLE", { reason: "BAD_PRICE", userMessage: "The purchase's price is not valid." });
  const buyer = await userOfAppAccountToken(tx, t.accountToken);
  const licenseId =
    product.kind === "license" ? await subscriptionLicense(tx, t, theaterOrgId, product.planId, buyer) : null;
  const { orderId, created } = await recordStorePurchase(tx, {
    store: t.store,
    transactionId: t.transactionId,
    productKind: product.kind === "license" ? "LICENSE_SALE" : "TICKET_SALE",
    theaterOrgId,
    description: `${product.kind === "license" ? "License" : "Tickets"} bought in the ${storeLabel[t.store]} (${t.productId})`,
    lineItem: { name: t.productId, quantity: t.quantity, unitAmountMinor: t.unitPriceMinor },
    amountMinor,
    currency: t.currency,
    commissionMinor: commissionOf(amountMinor, terms.commissionBps),
    paidAt: t.purchasedAt,
    fulfilment: licenseId
      ? { kind: "license", licenseId, ...(t.paidUntil ? { paidUntil: t.paidUntil.toISOString() } : {}) }
      : { kind: "ticket", showId: showOf(product), externalRef: `${t.store}:${t.transactionId}` },
    buyerUserId: buyer,
  });
  await tx.storeTransaction.create({
    data: {
      store: t.store,
      transactionId: t.transactionId,
      originalTransactionId: t.originalTransactionId,
      productId: t.productId,
      orderId,
      userId: buyer,
      status: "paid",
      purchasedAt: t.purchasedAt,
      expiresAt: t.expiresAt,
    },
  });
  return { recorded: true, orderId, created, licenseId };
}

/** The store's commission on an amount, rounded half up, as the stores round proceeds. */
export function commissionOf(amountMinor: number, bps: number): number {
  return Number((BigInt(amountMinor) * BigInt(bps) + 5000n) / 10000n);
}

function showOf(product: { store: string; productId: string; showId: string | null }): string {
  if (!product.showId)
    throw new Error(`store product ${product.store}:${product.productId} sells tickets but names no show`);
  return product.showId;
}

const storeLabel = { apple: "App Store", google: "Google Play" } as const;

async function licenseOfSubscription(tx: Tx, t: StoreTransactionFacts): Promise<string | null> {
  const sub = await tx.storeSubscription.findUnique({
    where: { store_originalTransactionId: { store: t.store, originalTransactionId: t.originalTransactionId } },
    select: { licenseId: true },
  });
  return sub?.licenseId ?? null;
}

async function followStorePlanChange(tx: Tx, t: StoreTransactionFacts, licenseId: string, planId: string) {
  const { changed } = await changeLicensePlan(tx, {
    licenseId,
    planId,
    reason: `the ${storeLabel[t.store]} subscription moved to ${t.productId}`,
    actor: { type: "system", id: t.store },
  });
  if (changed)
    await tx.storeSubscription.update({
      where: { store_originalTransactionId: { store: t.store, originalTransactionId: t.originalTransactionId } },
      data: { productId: t.productId },
    });
}

/** The license a subscription keeps: made pending on its first purchase, by a theater admin of the product's theater. */
async function subscriptionLicense(
  tx: Tx,
  t: StoreTransactionFacts,
  theaterOrgId: string,
  planId: string | null,
  buyer: string | null,
): Promise<string> {
  const existing = await licenseOfSubscription(tx, t);
  if (existing) {
    // The store now bills another product of the subscription (an upgrade or crossgrade at once, a downgrade
    // from its renewal, or Google's replacing purchase): the license follows it to that product's plan.
    if (planId) await followStorePlanChange(tx, t, existing, planId);
    return existing;
  }
  const membership = buyer
    ? await tx.membership.findUnique({ where: { orgId_userId: { orgId: theaterOrgId, userId: buyer } } })
    : null;
  if (!buyer || membership?.role !== "THEATER_ADMIN")
    throw new AppError("FORBIDDEN", {
      reason: "BUYER_NOT_THEATER_ADMIN",
      userMessage: "A license bought in the app needs the app account token of an admin of the product's theater.",
    });
  if (!planId) throw new Error(`store product ${t.store}:${t.productId} sells a license but names no plan`);
  const license = await createPendingLicense(tx, {
    theaterOrgId,
    planId,
    createdById: buyer,
    actor: { type: "user", id: buyer },
  });
  await tx.storeSubscription.create({
    data: {
      store: t.store,
      originalTransactionId: t.originalTransactionId,
      productId: t.productId,
      licenseId: license.id,
      userId: buyer,
      state: "active",
      expiresAt: t.expiresAt,
      stateAt: t.signedAt,
    },
  });
  return license.id;
}
