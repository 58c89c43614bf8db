import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { StoreProduct } from "@/lib/generated/prisma/client";
import { advisoryLockNames, lockNameForTransaction } from "@/lib/db/advisory-locks";
import { openStoreFunding, storeFundingIdOf } from "@/lib/funding/open-store-funding";
import { recordFundingPayment } from "@/lib/funding/record-funding-payment";
import { userOfAppAccountToken } from "@/lib/app-stores/app-account-token";
import { commissionOf } from "@/lib/app-stores/record-store-transaction";
import type { StoreTransactionFacts } from "@/lib/app-stores/store-transaction";

export type RecordedStoreFunding =
  | { recorded: true; fundingId: string; paymentId: string; created: boolean }
  | { recorded: false; fundingId: string | null; reason: "FAMILY_SHARED" | "FREE" };

/** A store product mapped to funding, or null (the purchase is an order's, recordStoreTransaction's). */
export async function fundingProductOf(tx: Tx, store: "apple" | "google", productId: string) {
  const product = await tx.storeProduct.findUnique({ where: { store_productId: { store, productId } } });
  return product?.kind === "funding" ? product : null;
}

/**
 * Makes sure a paid period of a funding subscription bought in the app is a funder's payment, in the caller's
 * transaction; every notification that carries such a transaction calls it first, so a missed purchase
 * notification is made good by the next one (a renewal, a refund). Idempotent by the store's transaction id
 * (the payment's reference). The first paid period opens the funding (openStoreFunding), by the account the
 * app account token names (else FORBIDDEN, FUNDER_NOT_SIGNED_IN: a funding is someone's, and the funder
 * alone sees it among their fundings); each period is posted like a web funding's payment, the store's
 * commission as the processor fee, and extends what the funding has paid through. A family-shared or free
 * period (a trial, an offer) pays nothing. One subscription's periods are serialized by the store-purchase
 * lock, so its first period and a renewal recorded at once open one funding.
 */
export async function recordStoreFunding(
  tx: Tx,
  t: StoreTransactionFacts,
  product: StoreProduct,
  terms: { commissionBps: number },
): Promise<RecordedStoreFunding> {
  const fundingId = storeFundingIdOf(t.store, t.originalTransactionId);
  if (!t.purchasedByAccount) return { recorded: false, fundingId: null, reason: "FAMILY_SHARED" };
  await lockNameForTransaction(tx, advisoryLockNames.storePurchase(t.store, t.originalTransactionId));
  const known = await tx.fundingPayment.findUnique({
    where: { provider_providerRef: { provider: t.store, providerRef: t.transactionId } },
    select: { id: true, fundingId: true },
  });
  if (known) return { recorded: true, fundingId: known.fundingId, paymentId: known.id, created: false };
  const amountMinor = t.totalMinor ?? t.unitPriceMinor * t.quantity;
  const existing = await tx.funding.findUnique({ where: { id: fundingId }, select: { id: true } });
  if (amountMinor === 0) return { recorded: false, fundingId: existing?.id ?? null, reason: "FREE" };
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0)
    throw new AppError("UNPROCESSABLE", { reason: "BAD_PRICE", userMessage: "The purchase's price is not valid." });
  const actor = { type: "system" as const, id: t.store };
  if (!existing) {
    const funder = await userOfAppAccountToken(tx, t.accountToken);
    if (!funder)
      throw new AppError("FORBIDDEN", {
        reason: "FUNDER_NOT_SIGNED_IN",
        userMessage:
          "A funding bought in the app needs the app account token of the signed-in Guildhall account that funds.",
      });
    await openStoreFunding(tx, {
      start: {
        store: t.store,
        subscriptionId: t.originalTransactionId,
        releaseLineId: product.releaseLineId,
        hostOrgId: product.hostOrgId,
        funderUserId: funder,
        amountMinor,
        currency: t.currency,
      },
      actor,
    });
  }
  const { paymentId } = await recordFundingPayment(tx, {
    payment: {
      fundingId,
      provider: t.store,
      providerRef: t.transactionId,
      paymentRef: t.transactionId,
      amountMinor,
      feeMinor: commissionOf(amountMinor, terms.commissionBps),
      currency: t.currency,
      paidAt: t.purchasedAt,
      periodEnd: t.paidUntil ?? t.expiresAt,
      subscriptionId: t.originalTransactionId,
      stateFollowsStore: true,
    },
    actor,
  });
  return { recorded: true, fundingId, paymentId, created: true };
}
