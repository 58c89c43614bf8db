import "server-only";
import type { Tx } from "@/lib/db/client";
import type { PayoutBatch, PayoutItem } from "@/lib/generated/prisma/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { queueMail } from "@/lib/mail/queue-mail";
import { payeeStatementEmail, batchSummaryEmail } from "@/emails/payout-statement";
import { payoutBatchCsv, payeeStatementCsv } from "@/lib/payouts/payout-csv";
import { finishedBatchStatus } from "@/lib/payouts/batch-outcome";

/**
 * When no item of an executing batch is pending any more, the batch is
 * finished: "completed" only if every item was paid, else "partly_failed" or
 * "failed" (lib/payouts/batch-outcome.ts). The statements go out by email:
 * the admins of each payee organization whose item settled in this round get
 * their lines, finance gets the batch CSV with what was paid and what failed.
 * A round is the first execution, or finance's latest retry of failed items.
 */
export async function finishBatchIfDone(tx: Tx, batchId: string): Promise<void> {
  const pending = await tx.payoutItem.count({ where: { batchId, status: "pending" } });
  if (pending > 0) return;
  const counts = {
    posted: await tx.payoutItem.count({ where: { batchId, status: "posted" } }),
    failed: await tx.payoutItem.count({ where: { batchId, status: "failed" } }),
  };
  const status = finishedBatchStatus(counts);
  const done = await tx.payoutBatch.updateMany({
    where: { id: batchId, status: "executing" },
    data: { status, completedAt: new Date() },
  });
  if (done.count === 0) return;
  // Its approvals in a query of their own: Prisma reads the relations of one include side by side, two
  // queries at once on the transaction's one connection, which pg deprecates.
  const batchWithItems = await tx.payoutBatch.findUniqueOrThrow({
    where: { id: batchId },
    include: { items: { orderBy: { ledgerAccountId: "asc" } } },
  });
  const approvals = await tx.payoutBatchApproval.findMany({ where: { batchId }, select: { userId: true } });
  const batch = { ...batchWithItems, approvals };
  const roundStart = batch.retriedAt ?? batch.executedAt ?? batch.createdAt;
  const settledThisRound = batch.items.filter((i) => {
    const settledAt = i.postedAt ?? i.failedAt;
    return settledAt !== null && settledAt >= roundStart;
  });
  await mailStatements(tx, batch, settledThisRound);
  await appendAuditEvent(tx, {
    actor: { type: "system", id: "payouts" },
    action: `payout_batch.${status}`,
    subject: { type: "payout_batch", id: batchId },
    state: { status, ...counts },
    data: counts,
  });
}

async function mailStatements(tx: Tx, batch: PayoutBatch & { items: PayoutItem[] }, settledThisRound: PayoutItem[]) {
  const orgIds = batch.items.map((i) => i.orgId).filter((id): id is string => Boolean(id));
  const orgs = await tx.organization.findMany({
    where: { id: { in: orgIds } },
    select: {
      id: true,
      name: true,
      memberships: {
        where: { role: { in: ["THEATER_ADMIN", "HOST_OPERATOR"] } },
        select: { user: { select: { email: true } } },
      },
    },
  });
  const names = new Map(orgs.map((o) => [o.id, o.name]));
  for (const org of orgs) {
    const lines = settledThisRound.filter((i) => i.orgId === org.id);
    if (lines.length === 0) continue;
    const csv = payeeStatementCsv(lines.map((i) => ({ ...i, batchCreatedAt: batch.createdAt })));
    for (const m of org.memberships)
      await queueMail(tx, {
        to: m.user.email,
        template: "payout-statement",
        content: payeeStatementEmail({ orgName: org.name, batchId: batch.id, lines, csv }),
      });
  }
  const finance = await tx.userRole.findMany({
    where: { role: "FINANCE" },
    select: { user: { select: { email: true } } },
  });
  const csv = payoutBatchCsv(batch, batch.items, names);
  const failures = batch.items
    .filter((i) => i.status === "failed")
    .map((i) => ({
      payee: i.orgId ? (names.get(i.orgId) ?? i.orgId) : "Developers' fund",
      amountMinor: i.amountMinor,
      currency: i.currency,
      reason: i.failureReason ?? "refused",
    }));
  for (const f of finance)
    await queueMail(tx, {
      to: f.user.email,
      template: "payout-batch-summary",
      content: batchSummaryEmail({ batch, failures, csv }),
    });
}
