import "server-only";
import { db } from "@/lib/db/client";
import { getPaymentProvider } from "@/lib/payment-provider/get-payment-provider";
import type { ProviderBalanceTransaction } from "@/lib/payment-provider/provider";
import { minorUnitsAsNumber } from "@/lib/money/money";

export type ReconciliationDifference = {
  kind: "missing_in_ledger" | "missing_at_provider" | "amount_mismatch" | "fee_mismatch" | "currency_mismatch";
  providerRef: string;
  detail: string;
};

export type Reconciliation = {
  from: Date;
  to: Date;
  provider: string;
  matched: number;
  providerCount: number;
  differences: ReconciliationDifference[];
};

/** A paid order's charge as the provider settled it; orders paid before settlements were kept: as sold. */
function settledCharge(o: {
  amountMinor: bigint;
  feeMinor: bigint;
  currency: string;
  settlementCurrency: string | null;
  settledAmountMinor: bigint | null;
  providerFeeMinor: bigint | null;
}) {
  if (o.settlementCurrency && o.settledAmountMinor !== null && o.providerFeeMinor !== null)
    return {
      amount: minorUnitsAsNumber(o.settledAmountMinor),
      fee: minorUnitsAsNumber(o.providerFeeMinor),
      currency: o.settlementCurrency,
    };
  return { amount: minorUnitsAsNumber(o.amountMinor), fee: minorUnitsAsNumber(o.feeMinor), currency: o.currency };
}

/**
 * Matches the provider's balance transactions of a window against what the
 * ledger recorded: charges against paid orders and funders' payments (amount and fee), refunds
 * against recorded refunds, transfers against posted payout items. Lists
 * every difference both ways; changes nothing.
 */
export async function reconcileProviderBalance(window: { from: Date; to: Date }): Promise<Reconciliation> {
  const provider = getPaymentProvider();
  const txns = await provider.listBalanceTransactions({ createdFrom: window.from, createdTo: window.to });
  const differences: ReconciliationDifference[] = [];
  let matched = 0;
  const seen = { charges: new Set<string>(), refunds: new Set<string>(), transfers: new Set<string>() };
  const orders = await db().paymentOrder.findMany({
    where: { provider: provider.name, status: "paid", paidAt: { gte: window.from, lt: window.to } },
    select: {
      id: true,
      amountMinor: true,
      feeMinor: true,
      currency: true,
      providerPaymentRef: true,
      settlementCurrency: true,
      settledAmountMinor: true,
      providerFeeMinor: true,
    },
  });
  // Funders' payments (lib/funding) are charges too, of no order.
  const fundingPayments = await db().fundingPayment.findMany({
    where: { provider: provider.name, paidAt: { gte: window.from, lt: window.to } },
    select: { id: true, paymentRef: true, amountMinor: true, feeMinor: true, currency: true },
  });
  const refunds = await db().paymentAdjustment.findMany({
    where: { kind: "refund", createdAt: { gte: window.from, lt: window.to } },
    select: { providerRef: true, amountMinor: true, currency: true },
  });
  const items = await db().payoutItem.findMany({
    where: { status: "posted", postedAt: { gte: window.from, lt: window.to } },
    select: { id: true, providerTransferId: true, amountMinor: true, currency: true },
  });

  const check = (
    t: ProviderBalanceTransaction,
    expected: { amount: number; fee?: number; currency: string } | undefined,
    label: string,
  ) => {
    if (!expected)
      return differences.push({
        kind: "missing_in_ledger",
        providerRef: t.sourceId ?? t.id,
        detail: `${t.type} of ${t.amountMinor} ${t.currency} has no ${label} in the ledger`,
      });
    // Amounts are compared in one currency only: a charge settled in another currency than it was sold in is
    // compared with what the provider settled (kept on the order), never a number in one with one in another.
    if (expected.currency !== t.currency)
      return differences.push({
        kind: "currency_mismatch",
        providerRef: t.sourceId ?? t.id,
        detail: `${t.type}: provider ${t.amountMinor} ${t.currency}, ledger ${expected.amount} ${expected.currency}`,
      });
    if (expected.amount !== t.amountMinor)
      return differences.push({
        kind: "amount_mismatch",
        providerRef: t.sourceId ?? t.id,
        detail: `${t.type}: provider ${t.amountMinor}, ledger ${expected.amount}`,
      });
    if (expected.fee !== undefined && expected.fee !== t.feeMinor)
      return differences.push({
        kind: "fee_mismatch",
        providerRef: t.sourceId ?? t.id,
        detail: `fee: provider ${t.feeMinor}, ledger ${expected.fee}`,
      });
    matched += 1;
  };
  const orderByRef = new Map(
    orders.flatMap(
      (o) =>
        [
          [o.providerPaymentRef ?? "", o],
          [o.id, o],
        ] as const,
    ),
  );
  const fundingByRef = new Map(fundingPayments.map((f) => [f.paymentRef, f]));
  for (const t of txns) {
    const funded = t.type === "charge" || t.type === "payment" ? fundingByRef.get(t.paymentRef ?? "") : undefined;
    if (funded) {
      seen.charges.add(funded.id);
      check(
        t,
        {
          amount: minorUnitsAsNumber(funded.amountMinor),
          fee: minorUnitsAsNumber(funded.feeMinor),
          currency: funded.currency,
        },
        "funding payment",
      );
    } else if (t.type === "charge" || t.type === "payment") {
      const o = orderByRef.get(t.paymentRef ?? t.sourceId ?? "");
      if (o) seen.charges.add(o.id);
      check(t, o && settledCharge(o), "paid order");
    } else if (t.type === "refund") {
      const r = refunds.find((x) => x.providerRef === t.sourceId);
      if (r) seen.refunds.add(r.providerRef);
      check(t, r && { amount: -minorUnitsAsNumber(r.amountMinor), currency: r.currency }, "refund");
    } else if (t.type === "transfer") {
      const i = items.find((x) => x.providerTransferId === t.sourceId);
      if (i) seen.transfers.add(i.id);
      check(t, i && { amount: -Number(i.amountMinor), currency: i.currency }, "posted payout");
    }
  }
  for (const o of orders)
    if (!seen.charges.has(o.id))
      differences.push({
        kind: "missing_at_provider",
        providerRef: o.providerPaymentRef ?? o.id,
        detail: `order ${o.id} of ${o.amountMinor} is paid in the ledger but has no provider charge`,
      });
  for (const f of fundingPayments)
    if (!seen.charges.has(f.id))
      differences.push({
        kind: "missing_at_provider",
        providerRef: f.paymentRef,
        detail: `funding payment ${f.id} of ${f.amountMinor} is in the ledger but has no provider charge`,
      });
  for (const r of refunds)
    if (!seen.refunds.has(r.providerRef))
      differences.push({
        kind: "missing_at_provider",
        providerRef: r.providerRef,
        detail: `refund of ${r.amountMinor} has no provider balance transaction`,
      });
  for (const i of items)
    if (!seen.transfers.has(i.id))
      differences.push({
        kind: "missing_at_provider",
        providerRef: i.providerTransferId ?? i.id,
        detail: `payout item ${i.id} of ${i.amountMinor} has no provider transfer`,
      });
  return { ...window, provider: provider.name, matched, providerCount: txns.length, differences };
}
