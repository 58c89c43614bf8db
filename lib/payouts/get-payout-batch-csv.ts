import "server-only";
import { getPayoutBatchOrThrow } from "@/lib/payouts/get-payout-batch";
import { payoutBatchCsv } from "@/lib/payouts/payout-csv";

/** The CSV export of a batch: one line per payee item. */
export async function getPayoutBatchCsv(batchId: string): Promise<string> {
  const { batch, items } = await getPayoutBatchOrThrow(batchId);
  return payoutBatchCsv(
    batch,
    items,
    new Map(items.flatMap((i) => (i.orgId ? [[i.orgId, i.payeeName] as const] : []))),
  );
}
