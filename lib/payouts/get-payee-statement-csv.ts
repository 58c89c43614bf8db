import "server-only";
import { getPayeeStatement } from "@/lib/payouts/get-payee-statement";
import { csvRows } from "@/lib/payouts/payout-csv";

/**
 * A payee's statement: its ledger lines (sales, refunds, disputes, funding, payouts) with the channel each came
 * in through, and its payout items, as CSV.
 */
export async function getPayeeStatementCsv(orgId: string) {
  const statement = await getPayeeStatement(orgId, { lines: 10_000 });
  const csv = csvRows(
    ["line", "date", "entry_id", "kind", "channel", "order_id", "amount_minor", "currency", "payout_status"],
    [
      ...statement.lines.map((l) => [
        "ledger",
        l.occurredAt,
        l.entryId,
        l.kind,
        l.channel ?? "",
        l.orderId,
        l.amountMinor,
        l.currency,
        "",
      ]),
      ...statement.items.map((i) => [
        "payout",
        i.batch.createdAt,
        i.batchId,
        "payout_item",
        "",
        "",
        i.amountMinor,
        i.currency,
        i.status,
      ]),
    ],
  );
  return {
    csv,
    statement: {
      org: statement.org,
      balances: statement.balances.map((b) => ({ currency: b.currency, kind: b.kind, owedMinor: b.owedMinor })),
      items: statement.items.map((i) => ({
        id: i.id,
        batchId: i.batchId,
        amountMinor: Number(i.amountMinor),
        currency: i.currency,
        status: i.status,
      })),
      lines: statement.lines,
    },
  };
}
