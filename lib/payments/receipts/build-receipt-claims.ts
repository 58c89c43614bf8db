import "server-only";
import type { Tx } from "@/lib/db/client";
import { sequenceIfPending } from "@/lib/audit/sequence-audit-events";
import { env } from "@/lib/config/env";
import { minorUnitsAsNumber } from "@/lib/money/money";
import { fulfilmentSchema } from "@/lib/payments/checkout-schema";
import { logOrigin } from "@/lib/transparency/log-signer";
import { receiptSubjectFor } from "@/lib/payments/receipts/receipt-subject";
import type { ReceiptClaims } from "@/lib/payments/receipts/receipt-schema";

const payeeOfAccountKind = {
  theater_payable: "theater",
  host_payable: "host",
  developers_fund: "developers_fund",
  org_operations: "org",
} as const;

type PaidOrderRow = {
  id: string;
  theaterOrgId: string;
  description: string;
  lineItems: unknown;
  amountMinor: bigint;
  currency: string;
  feeMinor: bigint;
  fulfilment: unknown;
  status: string;
  saleEntryId: string | null;
  policyVersionId: string | null;
  paidAt: Date | null;
  buyerUserId: string | null;
};

/**
 * What a paid order's receipt says, read from the order, its sale's journal
 * entry (the split as posted, not as recomputed), the policy that applied and
 * the order's `order.paid` audit event (whose sequence number gives the log
 * entry). Everything comes from committed, immutable records, so building it
 * twice gives the same claims but for `jti` and `iat`.
 */
export async function buildReceiptClaims(
  tx: Tx,
  order: PaidOrderRow,
  receiptId: string,
  now: Date,
): Promise<ReceiptClaims> {
  if (order.status !== "paid" || !order.saleEntryId || !order.policyVersionId || !order.paidAt)
    throw new Error(`order ${order.id} is not paid; a receipt is made only for a paid order`);
  const paidWhere = { subjectType: "order", subjectId: order.id, action: "order.paid" };
  // The receipt names the payment's log entry: if the sequencer has not placed it yet, it does now.
  await sequenceIfPending(paidWhere, tx);
  // One after another: the queries of an interactive transaction share one connection.
  const theater = await tx.organization.findUniqueOrThrow({
    where: { id: order.theaterOrgId },
    select: { id: true, slug: true, name: true },
  });
  const policy = await tx.splitPolicy.findUniqueOrThrow({
    where: { id: order.policyVersionId },
    select: { id: true, version: true },
  });
  const postings = await tx.ledgerPosting.findMany({ where: { entryId: order.saleEntryId }, orderBy: { id: "asc" } });
  const paidEvent = await tx.auditPlacement.findFirstOrThrow({
    where: { event: paidWhere },
    select: { eventId: true, seq: true },
  });
  const accounts = await tx.ledgerAccount.findMany({
    where: { id: { in: postings.map((p) => p.accountId) } },
    select: { id: true, kind: true, orgId: true },
  });
  const accountById = new Map(accounts.map((a) => [a.id, a]));
  const feeMinor = minorUnitsAsNumber(order.feeMinor);
  const parts: ReceiptClaims["split"]["parts"] = [];
  for (const posting of postings) {
    const account = accountById.get(posting.accountId);
    const payee = account && payeeOfAccountKind[account.kind as keyof typeof payeeOfAccountKind];
    if (!account || !payee) continue;
    // The org's operations account is credited its part plus the processor's fee, which the fee expense offsets.
    const credited = -minorUnitsAsNumber(posting.amountMinor) - (payee === "org" ? feeMinor : 0);
    parts.push({ payee, orgId: account.orgId, amountMinor: credited });
  }
  const fulfilment = fulfilmentSchema.parse(order.fulfilment);
  const lineItems = order.lineItems as ReceiptClaims["item"]["lineItems"];
  const item: ReceiptClaims["item"] = { description: order.description, lineItems };
  if (fulfilment.kind === "ticket") {
    item.showId = fulfilment.showId;
    if (fulfilment.externalRef) item.externalRef = fulfilment.externalRef;
    item.quantity = lineItems.reduce((n, li) => n + li.quantity, 0);
  } else {
    item.licenseId = fulfilment.licenseId;
  }
  return {
    v: 1,
    iss: env().publicUrl,
    jti: receiptId,
    iat: Math.floor(now.getTime() / 1000),
    ...(order.buyerUserId
      ? { sub: receiptSubjectFor({ theaterOrgId: order.theaterOrgId, userId: order.buyerUserId }) }
      : {}),
    order: order.id,
    kind: fulfilment.kind,
    item,
    theater,
    price: { amountMinor: minorUnitsAsNumber(order.amountMinor), currency: order.currency, feeMinor },
    split: { policyId: policy.id, policyVersion: policy.version, entryId: order.saleEntryId, parts },
    paidAt: order.paidAt.toISOString(),
    log: { origin: logOrigin(), index: Number(paidEvent.seq - 1n), action: "order.paid" },
  };
}
