import "server-only";
import type { Tx } from "@/lib/db/client";
import { minorUnitsAsNumber } from "@/lib/money/money";
import { iso, isoOrNull } from "@/lib/portability/export-values";

/** A theater's refunds, payment adjustments, payout statements and ledger balances, for its backup. */
export async function readTheaterMoneyRecords(tx: Tx, theaterOrgId: string, orderIds: string[]) {
  // One after another: the queries of an interactive transaction share one connection.
  const refunds = await tx.refundRequest.findMany({
    where: { orderId: { in: orderIds } },
    orderBy: { createdAt: "asc" },
  });
  const adjustments = await tx.paymentAdjustment.findMany({
    where: { orderId: { in: orderIds } },
    orderBy: { createdAt: "asc" },
  });
  const items = await tx.payoutItem.findMany({
    where: { orgId: theaterOrgId },
    include: { batch: true },
    orderBy: { id: "asc" },
  });
  const accounts = await tx.ledgerAccount.findMany({ where: { orgId: theaterOrgId }, orderBy: { id: "asc" } });
  const sums = await tx.ledgerPosting.groupBy({
    by: ["accountId"],
    where: { accountId: { in: accounts.map((a) => a.id) } },
    _sum: { amountMinor: true },
  });
  const balance = new Map(sums.map((s) => [s.accountId, s._sum.amountMinor ?? 0n]));
  return {
    refunds: refunds.map((r) => ({
      id: r.id,
      orderId: r.orderId,
      amountMinor: minorUnitsAsNumber(r.amountMinor),
      currency: r.currency,
      reason: r.reason,
      status: r.status,
      requestedById: r.requestedById,
      approvedById: r.approvedById,
      createdAt: iso(r.createdAt),
      decidedAt: isoOrNull(r.decidedAt),
    })),
    adjustments: adjustments.map((a) => ({
      id: a.id,
      orderId: a.orderId,
      kind: a.kind,
      amountMinor: minorUnitsAsNumber(a.amountMinor),
      currency: a.currency,
      providerRef: a.providerRef,
      status: a.status,
      journalEntryId: a.journalEntryId,
      reversalEntryId: a.reversalEntryId,
      createdAt: iso(a.createdAt),
      closedAt: isoOrNull(a.closedAt),
    })),
    payoutStatements: items.map((i) => ({
      id: i.id,
      batch: {
        id: i.batch.id,
        status: i.batch.status,
        periodStart: isoOrNull(i.batch.periodStart),
        periodEnd: isoOrNull(i.batch.periodEnd),
      },
      amountMinor: minorUnitsAsNumber(i.amountMinor),
      currency: i.currency,
      status: i.status,
      destination: i.destination,
      providerTransferId: i.providerTransferId,
      postedAt: isoOrNull(i.postedAt),
      failedAt: isoOrNull(i.failedAt),
      failureReason: i.failureReason,
    })),
    ledger: accounts.map((a) => ({
      accountId: a.id,
      kind: a.kind,
      currency: a.currency,
      balanceMinor: minorUnitsAsNumber(balance.get(a.id) ?? 0n),
    })),
  };
}
