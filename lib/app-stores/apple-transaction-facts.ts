import "server-only";
import type { JWSTransactionDecodedPayload } from "@apple/app-store-server-library";
import { AppError } from "@/lib/errors/app-error";
import { currencyExponent } from "@/lib/money/currency";
import type { StoreTransactionFacts } from "@/lib/app-stores/store-transaction";

const malformed = (what: string) =>
  new AppError("BAD_REQUEST", {
    reason: "MALFORMED_TRANSACTION",
    userMessage: `The signed transaction lacks a valid ${what}.`,
  });

/**
 * Reads a verified Apple transaction. Apple states prices in milliunits of
 * the currency (4.99 EUR is 4990); Guildhall keeps minor units (499), and a
 * price that is not a whole number of minor units is refused rather than
 * rounded.
 */
export function appleTransactionFacts(t: JWSTransactionDecodedPayload): StoreTransactionFacts {
  if (!t.transactionId) throw malformed("transaction id");
  if (!t.productId) throw malformed("product id");
  if (!t.purchaseDate) throw malformed("purchase date");
  if (!t.currency || !/^[A-Z]{3}$/.test(t.currency)) throw malformed("currency");
  if (t.price === undefined || !Number.isSafeInteger(t.price) || t.price < 0) throw malformed("price");
  const scaled = BigInt(t.price) * 10n ** BigInt(currencyExponent(t.currency));
  if (scaled % 1000n !== 0n) throw malformed("price in whole minor units");
  const quantity = t.quantity ?? 1;
  if (!Number.isSafeInteger(quantity) || quantity < 1) throw malformed("quantity");
  return {
    store: "apple",
    transactionId: t.transactionId,
    originalTransactionId: t.originalTransactionId ?? t.transactionId,
    productId: t.productId,
    purchasedAt: new Date(t.purchaseDate),
    expiresAt: t.expiresDate ? new Date(t.expiresDate) : null,
    unitPriceMinor: Number(scaled / 1000n),
    quantity,
    currency: t.currency,
    accountToken: t.appAccountToken ?? null,
    purchasedByAccount: t.inAppOwnershipType !== "FAMILY_SHARED",
    signedAt: new Date(t.signedDate ?? t.purchaseDate),
  };
}
