import "server-only";
import type { Tx } from "@/lib/db/client";
import { newSortableId } from "@/lib/ids";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { postJournalEntries, type JournalEntryInput } from "@/lib/ledger/post-journal-entries";
import { buildSaleEntry } from "@/lib/payments/build-sale-entry";
import { getActiveSplitPolicyOrThrow } from "@/lib/splits/get-active-split-policy";
import { getHostWeights } from "@/lib/splits/get-host-weights";
import { usagePeriodForSale } from "@/lib/splits/usage-period";
import type { HostWeight } from "@/lib/splits/compute-split";
import type { ProductKind } from "@/lib/splits/split-policy-schema";

export type PaidSaleImport = {
  theaterOrgId: string;
  description: string;
  amountMinor: number;
  feeMinor: number;
  paymentRef: string;
  paidAt: Date;
  fulfilment: { kind: "ticket"; showId: string; externalRef?: string };
};

/**
 * Records sales already paid and fulfilled elsewhere (a migration from another
 * ticketing system, the ledger benchmark) with their splits, set-based: one
 * multi-row insert for the orders and three for the ledger per call, whatever
 * the number of sales, and one audit event for the whole import. The split is
 * the one of the policy active now, as for a live sale; the database checks
 * every entry as it checks a live one.
 */
export async function importPaidSales(
  tx: Tx,
  {
    productKind,
    currency,
    sales,
    actor,
  }: { productKind: ProductKind; currency: string; sales: PaidSaleImport[]; actor: Actor },
): Promise<{ count: number; amountMinor: number }> {
  if (sales.length === 0) return { count: 0, amountMinor: 0 };
  const policy = await getActiveSplitPolicyOrThrow(tx, { productKind, currency });
  // Each sale is weighed by the usage of its own period; the weights are read once per period.
  const weightsByPeriod = new Map<string, HostWeight[]>();
  const hostsFor = async (paidAt: Date) => {
    const period = usagePeriodForSale(paidAt);
    const known = weightsByPeriod.get(period);
    if (known) return known;
    const weights = await getHostWeights(tx, policy.hostRule, paidAt);
    weightsByPeriod.set(period, weights);
    return weights;
  };
  const orderIds: string[] = [];
  const entryIds: string[] = [];
  const entries: JournalEntryInput[] = [];
  let total = 0;
  for (const s of sales) {
    if (!Number.isSafeInteger(s.amountMinor) || s.amountMinor <= 0 || s.feeMinor < 0)
      throw new Error(`bad imported sale amount ${s.amountMinor}`);
    const orderId = newSortableId("ord");
    const entryId = newSortableId("je");
    orderIds.push(orderId);
    entryIds.push(entryId);
    total += s.amountMinor;
    entries.push(
      buildSaleEntry(
        {
          id: orderId,
          theaterOrgId: s.theaterOrgId,
          amountMinor: s.amountMinor,
          feeMinor: Math.min(s.feeMinor, s.amountMinor),
          currency,
          productKind,
        },
        policy,
        await hostsFor(s.paidAt),
        entryId,
      ),
    );
  }
  await tx.$executeRawUnsafe(
    `INSERT INTO "PaymentOrder" ("id", "productKind", "theaterOrgId", "description", "lineItems", "amountMinor", "currency", "fulfilmentKind", "fulfilment",
                                 "status", "provider", "providerPaymentRef", "successPath", "cancelPath", "feeMinor", "createdByType", "createdById",
                                 "saleEntryId", "policyVersionId", "paidAt")
     SELECT t.id, $2, t.theater, t.descr, jsonb_build_array(jsonb_build_object('name', t.descr, 'quantity', 1, 'unitAmountMinor', t.amount)), t.amount, $3,
            'ticket', t.fulfilment::jsonb, 'paid', 'import', t.ref, '/', '/', t.fee, $4, $5, t.entry, $6, t.paid
       FROM unnest($1::text[], $7::text[], $8::text[], $9::bigint[], $10::bigint[], $11::text[], $12::text[], $13::text[], $14::text[]::timestamp[])
            AS t(id, theater, descr, amount, fee, fulfilment, ref, entry, paid)`,
    orderIds,
    productKind,
    currency,
    actor.type,
    actor.id,
    policy.id,
    sales.map((s) => s.theaterOrgId),
    sales.map((s) => s.description),
    sales.map((s) => s.amountMinor),
    sales.map((s) => Math.min(s.feeMinor, s.amountMinor)),
    sales.map((s) => JSON.stringify(s.fulfilment)),
    sales.map((s) => s.paymentRef),
    entryIds,
    // Prisma keeps DateTime as UTC in timestamp(3) columns; ISO strings cast the same way.
    sales.map((s) => s.paidAt.toISOString()),
  );
  await postJournalEntries(tx, entries);
  await appendAuditEvent(tx, {
    actor,
    action: "sales.imported",
    subject: { type: "order_import", id: orderIds[0] },
    state: { orderIds, amountMinor: total },
    data: { count: sales.length, amountMinor: total, currency, policyVersionId: policy.id },
  });
  return { count: sales.length, amountMinor: total };
}
