import "server-only";
import { limits } from "@/lib/config/limits";

/** The bounds of a transaction that records a store purchase (limits.storeTransaction says why). */
export const storeTransactionOptions = {
  maxWait: limits.storeTransaction.maxWaitMs,
  timeout: limits.storeTransaction.timeoutMs,
};

/**
 * A store's purchase, in the terms both stores share once their own formats
 * are verified and read (Apple's JWSTransaction, Google's purchase resources).
 */
export type StoreName = "apple" | "google";

export type StoreTransactionFacts = {
  store: StoreName;
  transactionId: string;
  /** The first purchase of a subscription (equal to transactionId for a one-time purchase). */
  originalTransactionId: string;
  productId: string;
  purchasedAt: Date;
  expiresAt: Date | null;
  /** The end of the period this purchase pays for, when the store states it per order (Google Play). */
  paidUntil?: Date;
  /** Price of one unit in minor units of `currency`. */
  unitPriceMinor: number;
  quantity: number;
  /** What the buyer paid in all, when the store states it (Google's order total) rather than a unit price. */
  totalMinor?: number;
  currency: string;
  /** The app account token the app set at purchase (Apple), or the obfuscated account id (Google). */
  accountToken: string | null;
  /** False for a purchase shared by a family member: nothing was paid by this account. */
  purchasedByAccount: boolean;
  /** The store's timestamp of the data, to order state changes. */
  signedAt: Date;
};

/** What a store notification did, as its PaymentEvent records it. */
export type NotificationOutcome = { outcome: "handled" | "ignored" | "unhandled_type"; note?: string };
