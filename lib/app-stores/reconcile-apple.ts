import "server-only";
import { GetTransactionHistoryVersion, Order } from "@apple/app-store-server-library";
import { db } from "@/lib/db/client";
import { alertFinanceOfRefusals } from "@/lib/finance-alerts/alert-on-refusal";
import { isAppError } from "@/lib/errors/app-error";
import { appleConfigOrThrow, verifyAppleTransaction } from "@/lib/app-stores/apple-verifier";
import { appleApiClient } from "@/lib/app-stores/apple-api-client";
import { appleTransactionFacts } from "@/lib/app-stores/apple-transaction-facts";
import { recordStoreTransaction } from "@/lib/app-stores/record-store-transaction";
import { refundStoreTransaction } from "@/lib/app-stores/refund-store-transaction";
import { fundingProductOf, recordStoreFunding } from "@/lib/app-stores/record-store-funding";
import { refundStoreFunding } from "@/lib/app-stores/refund-store-funding";
import { storeTransactionOptions } from "@/lib/app-stores/store-transaction";
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
 * with a revocation date; an upgraded one's is Apple's upgrade credit, its prorated refund). Each transaction in its own database transaction,
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
        await alertFinanceOfRefusals(() =>
          db().$transaction(async (tx) => {
            const funding = await fundingProductOf(tx, "apple", facts.productId);
            if (funding) {
              // A period of a funding bought in the app: a funder's payment, refunded as one.
              const f = await recordStoreFunding(tx, facts, funding, { commissionBps: config.commissionBps });
              if (f.recorded && f.created) report.recorded += 1;
              if (f.recorded && transaction.revocationDate) {
                const { refunded } = await refundStoreFunding(tx, {
                  store: "apple",
                  transactionId: facts.transactionId,
                  shareMilli: transaction.revocationPercentage,
                });
                if (refunded) report.refunded += 1;
              }
              return;
            }
            const r = await recordStoreTransaction(tx, facts, { commissionBps: config.commissionBps });
            if (r.recorded && r.created) report.recorded += 1;
            if (r.recorded && transaction.revocationDate) {
              // An upgraded transaction is revoked with the unused part credited (Apple's prorated refund).
              const upgradeCredit = transaction.isUpgraded === true;
              const { refunded } = await refundStoreTransaction(tx, {
                store: "apple",
                transactionId: facts.transactionId,
                shareMilli: transaction.revocationPercentage,
                reason: upgradeCredit
                  ? "the App Store credited the unused part on an upgrade"
                  : "refunded by the App Store (found by reconciliation)",
                upgradeCredit,
              });
              if (refunded) report.refunded += 1;
            }
          }, storeTransactionOptions),
        );
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
