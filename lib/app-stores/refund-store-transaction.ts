import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { enqueueEffect } from "@/lib/outbox/enqueue-effect";
import { recordStoreRefund, reverseStoreRefund } from "@/lib/payments/record-store-refund";
import { refundableMinor } from "@/lib/money/refundable-amount";
import { reinstateStoreLicenseEffect, suspendStoreLicenseEffect } from "@/lib/app-stores/store-license-effects";
import type { StoreName } from "@/lib/app-stores/store-transaction";

/** The reference of a store's refund of a transaction: one per transaction (an order's or a funder's payment). */
export const refundRef = (store: StoreName, transactionId: string) => `${store}:${transactionId}:refund`;

async function storeTransactionOrThrow(tx: Tx, store: StoreName, transactionId: string) {
  const row = await tx.storeTransaction.findUnique({ where: { store_transactionId: { store, transactionId } } });
  if (!row)
    throw new AppError("NOT_FOUND", { reason: "TRANSACTION_NOT_FOUND", userMessage: "No such store transaction." });
  return row;
}

/**
 * The store refunded a transaction (in full, or `shareMilli` thousandths of a
 * hundred percent of it, Apple's revocationPercentage): the web refund's
 * ledger reversal plus the store's commission given back
 * (recordStoreRefund), the transaction marked refunded, and a license it paid
 * for suspended. Once per transaction: the refund's reference is the store's
 * transaction id.
 */
export async function refundStoreTransaction(
  tx: Tx,
  input: {
    store: StoreName;
    transactionId: string;
    shareMilli?: number;
    /**
     * Google's way: how much of the order the store has refunded in all. Each
     * new total is a refund of its own (the part not yet recorded), so a
     * second partial refund of one order is recorded too, and a repeated
     * total once.
     */
    refundedTotalMinor?: number;
    reason: string;
    /**
     * Apple's upgrade credit: the customer moved to a higher subscription and Apple gave back the unused part
     * of this one (its transaction is revoked as upgraded, `revocationPercentage` of it). The money and the
     * split go back as for a refund, but the license lives on (the upgrade's purchase keeps it), so it is not
     * suspended, and the transaction is marked upgraded, not refunded.
     */
    upgradeCredit?: boolean;
  },
): Promise<{ refunded: boolean }> {
  const row = await storeTransactionOrThrow(tx, input.store, input.transactionId);
  const order = await tx.paymentOrder.findUniqueOrThrow({ where: { id: row.orderId } });
  const refund = storeRefundOf(order, input);
  if (!refund) return { refunded: false };
  const { duplicate } = await recordStoreRefund(tx, {
    orderId: order.id,
    ...refund,
    actor: { type: "system", id: input.store },
  });
  await tx.storeTransaction.update({
    where: { store_transactionId: { store: input.store, transactionId: input.transactionId } },
    data: { status: input.upgradeCredit ? "upgraded" : "refunded" },
  });
  const licenseId = input.upgradeCredit ? null : await licenseOf(tx, row.orderId);
  if (licenseId)
    await enqueueEffect(
      tx,
      suspendStoreLicenseEffect,
      { licenseId, reason: input.reason },
      `${suspendStoreLicenseEffect.kind}:${input.store}:${input.transactionId}`,
    );
  return { refunded: !duplicate };
}

/**
 * How much of a paid purchase (an order, or a funder's payment) a store's refund takes, and its reference:
 * `shareMilli` thousandths of a hundred percent of it (Apple's revocationPercentage; all by default), or
 * Google's refunded total less what is already recorded; never more than is left. Null: nothing to refund.
 */
export function storeRefundOf(
  paid: { amountMinor: bigint; refundedMinor: bigint; disputedMinor: bigint },
  input: { store: StoreName; transactionId: string; shareMilli?: number; refundedTotalMinor?: number },
): { amountMinor: number; providerRef: string } | null {
  const share = input.shareMilli ?? 100_000;
  const wanted =
    input.refundedTotalMinor !== undefined
      ? BigInt(input.refundedTotalMinor) - paid.refundedMinor
      : (paid.amountMinor * BigInt(share)) / 100_000n;
  const amount = wanted < refundableMinor(paid) ? wanted : refundableMinor(paid);
  if (amount <= 0n) return null;
  return {
    amountMinor: Number(amount),
    providerRef:
      input.refundedTotalMinor !== undefined
        ? `${refundRef(input.store, input.transactionId)}:${input.refundedTotalMinor}`
        : refundRef(input.store, input.transactionId),
  };
}

/** The store reversed its refund: the refund's entries are reversed and a suspended license reinstated. */
export async function reverseStoreTransactionRefund(
  tx: Tx,
  input: { store: StoreName; transactionId: string; reason: string },
): Promise<{ reversed: boolean }> {
  const row = await storeTransactionOrThrow(tx, input.store, input.transactionId);
  const outcome = await reverseStoreRefund(tx, {
    providerRef: refundRef(input.store, input.transactionId),
    actor: {
      type: "system",
      id: input.store,
    },
  });
  if (outcome !== "reversed") return { reversed: false };
  await tx.storeTransaction.update({
    where: { store_transactionId: { store: input.store, transactionId: input.transactionId } },
    data: { status: "paid" },
  });
  const licenseId = await licenseOf(tx, row.orderId);
  if (licenseId)
    await enqueueEffect(
      tx,
      reinstateStoreLicenseEffect,
      { licenseId, reason: input.reason },
      `${reinstateStoreLicenseEffect.kind}:${input.store}:${input.transactionId}`,
    );
  return { reversed: true };
}

async function licenseOf(tx: Tx, orderId: string): Promise<string | null> {
  const applied = await tx.licenseOrder.findUnique({ where: { orderId }, select: { licenseId: true } });
  return applied?.licenseId ?? null;
}
