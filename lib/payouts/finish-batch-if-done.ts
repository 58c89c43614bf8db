import type { Tx } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { queueMail } from "@/lib/mail/queue-mail";
import { payeeStatementEmail, batchSummaryEmail } from "@/emails/payout-statement";
import { payoutBatchCsv, payeeStatementCsv } from "@/lib/payouts/payout-csv";

/**
 * When no item of an executing batch is pending any more, the batch is
 * completed, and the statements go out by email: each payee organization's
 * admins get their lines, finance gets the batch CSV.
 */
export async function finishBatchIfDone(tx: Tx, batchId: string): Promise<void> {
  const pending = await tx.payoutItem.count({ where: { batchId, status: "pending" } });
  if (pending > 0) return;
  const done = await tx.payoutBatch.updateMany({
    where: { id: batchId, status: "executing" },
    data: { status: "completed", completedAt: new Date() },
  });
  if (done.count === 0) return;
  const batch = await tx.payoutBatch.findUniqueOrThrow({
    where: { id: batchId },
    include: { items: { orderBy: { ledgerAccountId: "asc" } } },
  });
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
    const lines = batch.items.filter((i) => i.orgId === org.id);
    const csv = payeeStatementCsv(lines.map((i) => ({ ...i, batchCreatedAt: batch.createdAt })));
    for (const m of org.memberships)
      await queueMail(
        tx,
        m.user.email,
        "payout-statement",
        payeeStatementEmail({ orgName: org.name, batchId, lines, csv }),
      );
  }
  const finance = await tx.userRole.findMany({
    where: { role: "FINANCE" },
    select: { user: { select: { email: true } } },
  });
  const csv = payoutBatchCsv(batch, batch.items, names);
  for (const f of finance) await queueMail(tx, f.user.email, "payout-batch-summary", batchSummaryEmail({ batch, csv }));
  const posted = batch.items.filter((i) => i.status === "posted").length;
  await appendAuditEvent(tx, {
    actor: { type: "system", id: "payouts" },
    action: "payout_batch.completed",
    subject: { type: "payout_batch", id: batchId },
    state: { status: "completed", posted, failed: batch.items.length - posted },
    data: { posted, failed: batch.items.length - posted },
  });
}
