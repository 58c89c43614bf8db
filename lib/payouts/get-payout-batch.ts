import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { parseLedgerAccountId, toSafeNumber } from "@/lib/ledger/accounts";
import { listPayeesWithoutPayoutAccount } from "@/lib/payouts/list-payees-without-payout-account";

/**
 * A batch with its per-payee items (named), approvers, where the batch's money
 * goes, and, while its transfers are still to be sent or have failed, the
 * payees that cannot be paid today (no payout account), for the finance page.
 */
export async function getPayoutBatchOrThrow(batchId: string) {
  const batch = await db().payoutBatch.findUnique({
    where: { id: batchId },
    include: { items: { orderBy: { amountMinor: "desc" } }, approvals: { orderBy: { createdAt: "asc" } } },
  });
  if (!batch) throw new AppError("NOT_FOUND", { userMessage: "No such payout batch.", reason: "BATCH_NOT_FOUND" });
  const orgIds = batch.items.map((i) => i.orgId).filter((id): id is string => Boolean(id));
  const unsent = batch.items.filter((i) => i.status === "pending" || i.status === "failed");
  const [orgs, approvers, unpayable] = await Promise.all([
    db().organization.findMany({ where: { id: { in: orgIds } }, select: { id: true, name: true, slug: true } }),
    db().user.findMany({
      where: { id: { in: batch.approvals.map((a) => a.userId) } },
      select: { id: true, email: true },
    }),
    unsent.length ? listPayeesWithoutPayoutAccount(unsent.map((i) => i.ledgerAccountId)) : [],
  ]);
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  const emails = new Map(approvers.map((u) => [u.id, u.email]));
  const items = batch.items.map((i) => {
    const kind = parseLedgerAccountId(i.ledgerAccountId).kind;
    return {
      ...i,
      kind,
      amount: toSafeNumber(i.amountMinor),
      payeeName: i.orgId ? (orgById.get(i.orgId)?.name ?? i.orgId) : "Developers' fund",
    };
  });
  const byKind = new Map<string, number>();
  for (const i of items) byKind.set(i.kind, (byKind.get(i.kind) ?? 0) + i.amount);
  return {
    batch: { ...batch, total: toSafeNumber(batch.totalMinor) },
    items,
    approvals: batch.approvals.map((a) => ({
      userId: a.userId,
      email: emails.get(a.userId) ?? a.userId,
      at: a.createdAt,
    })),
    byKind: [...byKind.entries()].map(([kind, amount]) => ({ kind, amount })),
    unpayable,
  };
}
