import "server-only";
import { GetTransactionHistoryVersion, Order } from "@apple/app-store-server-library";
import { db } from "@/lib/db/client";
import { isAppError } from "@/lib/errors/app-error";
import { appleConfigOrThrow, verifyAppleTransaction } from "@/lib/app-stores/apple-verifier";
import { appleApiClient } from "@/lib/app-stores/apple-api-client";
import { appleTransactionFacts } from "@/lib/app-stores/apple-transaction-facts";
import { recordStoreTransaction } from "@/lib/app-stores/record-store-transaction";
import { refundStoreTransaction } from "@/lib/app-stores/refund-store-transaction";
import { processAppleNotification, storeTransactionOptions } from "@/lib/app-stores/process-apple-notification";
import { limits } from "@/lib/config/limits";

export type AppleReconciliation = {
  seen: number;
  recorded: number;
  refunded: number;
  refused: { transactionId: string; reason: string }[];
};

/**
 * Reads a customer's whole transaction history from the App Store Server API
 * (any of their transaction ids names it), verifies each signed transaction
 * as a notification's would be, and records what Guildhall lacks: purchases
 * and renewals whose notifications were missed, and refunds (a transaction
 * with a revocation date). Each transaction in its own database transaction,
 * idempotent by its id, so a run cut short or run twice, or beside the live
 * webhook, records each purchase once. A refused one (an unknown product) is
 * reported, not recorded.
 */
export async function reconcileAppleTransactionHistory(anyTransactionId: string): Promise<AppleReconciliation> {
  const config = appleConfigOrThrow();
  const client = appleApiClient();
  const report: AppleReconciliation = { seen: 0, recorded: 0, refunded: 0, refused: [] };
  let revision: string | null = null;
  for (let page = 0; page < limits.appStores.appleMaxPages; page++) {
    const history = await client.getTransactionHistory(
      anyTransactionId,
      revision,
      { sort: Order.ASCENDING },
      GetTransactionHistoryVersion.V2,
    );
    for (const signed of history.signedTransactions ?? []) {
      report.seen += 1;
      const transaction = await verifyAppleTransaction(signed);
      const facts = appleTransactionFacts(transaction);
      try {
        await db().$transaction(async (tx) => {
          const r = await recordStoreTransaction(tx, facts, { commissionBps: config.commissionBps });
          if (r.recorded && r.created) report.recorded += 1;
          if (r.recorded && transaction.revocationDate) {
            const { refunded } = await refundStoreTransaction(tx, {
              store: "apple",
              transactionId: facts.transactionId,
              shareMilli: transaction.revocationPercentage,
              reason: "refunded by the App Store (found by reconciliation)",
            });
            if (refunded) report.refunded += 1;
          }
        }, storeTransactionOptions);
      } catch (e) {
        if (!isAppError(e) || e.statusCode >= 500) throw e;
        report.refused.push({ transactionId: facts.transactionId, reason: e.reason ?? e.code });
      }
    }
    revision = history.revision ?? null;
    if (!history.hasMore || !revision) break;
  }
  return report;
}

export type AppleNotificationRecovery = { seen: number; processed: number; duplicates: number; refused: string[] };

/**
 * Asks Apple for the notifications it sent in a window (Get Notification
 * History) and processes each as the webhook would: the ones that never
 * reached us act now, the others are duplicates by their UUID.
 */
export async function recoverMissedAppleNotifications(window: { from: Date; to: Date }) {
  const client = appleApiClient();
  const report: AppleNotificationRecovery = { seen: 0, processed: 0, duplicates: 0, refused: [] };
  let token: string | null = null;
  for (let page = 0; page < limits.appStores.appleMaxPages; page++) {
    const history = await client.getNotificationHistory(token, {
      startDate: window.from.getTime(),
      endDate: window.to.getTime(),
    });
    for (const item of history.notificationHistory ?? []) {
      if (!item.signedPayload) continue;
      report.seen += 1;
      try {
        const r = await processAppleNotification({ signedPayload: item.signedPayload });
        if (r.duplicate) report.duplicates += 1;
        else report.processed += 1;
      } catch (e) {
        if (!isAppError(e) || e.statusCode >= 500) throw e;
        report.refused.push(e.reason ?? e.code);
      }
    }
    token = history.paginationToken ?? null;
    if (!history.hasMore || !token) break;
  }
  return report;
}
