import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { StoreProduct } from "@/lib/generated/prisma/client";
import { advisoryLockNames, lockNameForTransaction } from "@/lib/db/advisory-locks";
import { openStoreFunding, storeFundingIdOf } from "@/lib/funding/open-store-funding";
import { currentStoreFundingOf, endReplacedStoreFunding } from "@/lib/funding/end-replaced-store-funding";
import { recordFundingPayment } from "@/lib/funding/record-funding-payment";
import { userOfAppAccountToken } from "@/lib/app-stores/app-account-token";
import { commissionOf } from "@/lib/app-stores/record-store-transaction";
import type { StoreTransactionFacts } from "@/lib/app-stores/store-transaction";
import { raiseFinanceAlert } from "@/lib/finance-alerts/raise-finance-alert";
import { channelLabel } from "@/lib/payment-provider/payment-channels";

export type RecordedStoreFunding =
  | { recorded: true; fundingId: string; paymentId: string; created: boolean; replaced?: string }
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
 * lock, so its first period and a renewal recorded at once open one funding. A funding's target is never
 * changed: a period of another funding product of the same subscription funds that product's target
 * (fundingIdOfTarget), and the funding it replaces ends, so the ledger and each line's page say what each
 * period paid for. Nor is its currency: a period billed in another currency (a storefront change) funds the
 * subscription's funding in that currency the same way, split by that currency's funding policy, and finance
 * is told (flagCurrencyChange); without an active funding policy in it the period is refused as a first
 * purchase in that currency is (NO_ACTIVE_SPLIT_POLICY), and recorded once finance has approved one.
 */
export async function recordStoreFunding(
  tx: Tx,
  t: StoreTransactionFacts,
  product: StoreProduct,
  terms: { commissionBps: number },
): Promise<RecordedStoreFunding> {
  if (!t.purchasedByAccount) return { recorded: false, fundingId: null, reason: "FAMILY_SHARED" };
  await lockNameForTransaction(tx, advisoryLockNames.storePurchase(t.store, t.originalTransactionId));
  const known = await tx.fundingPayment.findUnique({
    where: { provider_providerRef: { provider: t.store, providerRef: t.transactionId } },
    select: { id: true, fundingId: true },
  });
  if (known) return { recorded: true, fundingId: known.fundingId, paymentId: known.id, created: false };
  const amountMinor = t.totalMinor ?? t.unitPriceMinor * t.quantity;
  const fundingId = await fundingIdOfTarget(tx, t, product);
  const existing = await tx.funding.findUnique({ where: { id: fundingId }, select: { id: true } });
  if (amountMinor === 0) return { recorded: false, fundingId: existing?.id ?? null, reason: "FREE" };
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0)
    throw new AppError("UNPROCESSABLE", { reason: "BAD_PRICE", userMessage: "The purchase's price is not valid." });
  const actor = { type: "system" as const, id: t.store };
  // The funding that follows the subscription now. A period of a product with another target, newer than
  // everything that funding was paid for, is a product change (an upgrade, downgrade or crossgrade in the
  // subscription group): the old funding ends when the new product's period starts and this one follows
  // the subscription from here. An older period arriving late is recorded on its own target's funding and
  // moves nothing.
  const current = await currentStoreFundingOf(tx, t.store, t.originalTransactionId);
  let follows = !current || current.id === fundingId;
  let replaced: string | undefined;
  if (current && current.id !== fundingId && (await paidBefore(tx, current.id, t.purchasedAt))) {
    await endReplacedStoreFunding(tx, {
      fundingId: current.id,
      change: { at: t.purchasedAt, by: fundingId, productId: t.productId },
      actor,
    });
    follows = true;
    replaced = current.id;
  }
  if (!existing) {
    const funder = await userOfAppAccountToken(tx, t.accountToken);
    if (!funder)
      throw new AppError("FORBIDDEN", {
        reason: "FUNDER_NOT_SIGNED_IN",
        userMessage:
          "A funding bought in the app needs the app account token of the signed-in Guildhall account that funds.",
      });
    // A funder who chose a name keeps it when the subscription moves to another product or currency.
    const earlier = current
      ? await tx.funding.findUnique({ where: { id: current.id }, select: { funderUserId: true, publicName: true } })
      : null;
    await openStoreFunding(tx, {
      start: {
        publicName: earlier?.funderUserId === funder ? earlier.publicName : null,
        fundingId,
        store: t.store,
        subscriptionId: t.originalTransactionId,
        follows,
        releaseLineId: product.releaseLineId,
        hostOrgId: product.hostOrgId,
        funderUserId: funder,
        amountMinor,
        currency: t.currency,
      },
      actor,
    });
  }
  if (replaced) await flagCurrencyChange(tx, t, replaced, fundingId);
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
      // Only the funding that follows the subscription holds its id (an older period's funding gave it up).
      subscriptionId: follows ? t.originalTransactionId : null,
      stateFollowsStore: true,
    },
    actor,
  });
  return { recorded: true, fundingId, paymentId, created: true, ...(replaced ? { replaced } : {}) };
}

/**
 * The funding a period of this product pays into: one per subscription and target. The subscription's
 * first funding keeps the id made from the subscription alone (storeFundingIdOf); a product with another
 * target (a line or host) has its own, made from the subscription and that target, so changing back to an
 * earlier product funds its earlier funding again.
 */
async function fundingIdOfTarget(tx: Tx, t: StoreTransactionFacts, product: StoreProduct) {
  const firstId = storeFundingIdOf(t.store, t.originalTransactionId);
  const first = await tx.funding.findUnique({
    where: { id: firstId },
    select: { releaseLineId: true, hostOrgId: true, currency: true },
  });
  if (!first) return firstId;
  const sameTarget = first.releaseLineId === product.releaseLineId && first.hostOrgId === product.hostOrgId;
  const sameCurrency = first.currency === t.currency;
  if (sameTarget && sameCurrency) return firstId;
  const target = product.releaseLineId ? `line:${product.releaseLineId}` : `host:${product.hostOrgId}`;
  // A funding has one currency (its amount, what its funder paid, and the line page's sums are in it), so a
  // period the store bills in another one (the funder moved to another storefront or country) funds a
  // funding of that currency, as a move to another product funds one of that target.
  return storeFundingIdOf(t.store, `${t.originalTransactionId}:${target}${sameCurrency ? "" : `:${t.currency}`}`);
}

/**
 * Tells finance that a store subscription's funding moved to another currency (the store bills the funder in
 * it now): the period is recorded in its own currency and split by that currency's funding policy, so the
 * hosts' payable balances and payouts in each currency change from here. Once per funding and currency.
 */
async function flagCurrencyChange(tx: Tx, t: StoreTransactionFacts, replaced: string, fundingId: string) {
  const before = await tx.funding.findUniqueOrThrow({ where: { id: replaced }, select: { currency: true } });
  if (before.currency === t.currency) return;
  await raiseFinanceAlert(tx, {
    key: `store-funding-currency:${fundingId}`,
    kind: "store_funding_currency",
    message:
      `A subscription of ${channelLabel(t.store)} (${t.originalTransactionId}) that funded in ${before.currency} ` +
      `(funding ${replaced}) is billed in ${t.currency} from ${t.purchasedAt.toISOString()} (transaction ` +
      `${t.transactionId}): recorded in ${t.currency} on funding ${fundingId} and split by the ${t.currency} ` +
      "funding policy; the earlier funding ended there.",
  });
}

/** Whether every period recorded on the funding was bought before `at` (none is: true). */
async function paidBefore(tx: Tx, fundingId: string, at: Date) {
  const later = await tx.fundingPayment.count({ where: { fundingId, paidAt: { gte: at } } });
  return later === 0;
}
