import { orRefusalPage } from "@/app/or-refusal-page";
import Link from "next/link";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { getPayoutBatchOrThrow } from "@/lib/payouts/get-payout-batch";
import { formatMoney } from "@/lib/money/format-money";
import { MoneyChart, kindColors, kindLabels } from "@/app/finance/money-chart";
import { BatchStatusBadge } from "@/app/finance/batch-status";
import { RefreshWhile } from "@/app/refresh-while";
import { BatchItems } from "@/app/finance/batches/[id]/batch-items";
import { UnpayableWarning } from "@/app/finance/batches/[id]/unpayable-warning";
import { limits } from "@/lib/config/limits";
import { ConfirmWithReason } from "@/app/confirm-with-reason";
import {
  approvePayoutBatchAction,
  executePayoutBatchAction,
  voidPayoutBatchAction,
} from "@/app/finance/batches/[id]/actions";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";
import { ActionForm } from "@/app/action-form";
import { findLogReceiptIfAny } from "@/lib/transparency/find-log-receipt";
import { LogReceiptLine } from "@/app/log/log-receipt-line";

export const metadata = { title: "Payout batch" };

export default async function PayoutBatchPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { session } = await requirePageAccess({ role: "FINANCE" }, `/finance/batches/${id}`);
  const { batch, items, approvals, byKind, unpayable } = await orRefusalPage(getPayoutBatchOrThrow(id));
  const [receipt, forks] = await Promise.all([
    findLogReceiptIfAny({ kind: "payout_batch", id: batch.id }),
    listForkOrigins(),
  ]);
  const posted = items.filter((i) => i.status === "posted").length;
  const failed = items.filter((i) => i.status === "failed").length;
  const warningWhen: Record<string, string> = {
    draft: "approving this batch will not pay them, their transfers would fail:",
    approved: "executing this batch will not pay them, their transfers would fail:",
    partly_failed: "retrying their transfers will fail until this is fixed:",
    failed: "retrying their transfers will fail until this is fixed:",
  };
  const approvedByMe = approvals.some((a) => a.userId === session.userId);
  return (
    <div className="space-y-6">
      <div>
        <Link href="/finance" className="text-sm text-accent">
          ← Finance
        </Link>
        <h1 className="mt-2 text-2xl font-semibold">
          Payout batch <span className="font-mono break-all">{batch.id}</span>
          <OriginMark origin={originOfRecord(forks, batch.createdAt)} />
        </h1>
        <ForkNotice forks={forks} />
        <p className="text-sm text-stone-600">
          <BatchStatusBadge status={batch.status} testId="batch-status" /> · {batch.itemCount}{" "}
          {batch.itemCount === 1 ? "payee" : "payees"} · total{" "}
          <strong>{formatMoney(batch.totalMinor, batch.currency)}</strong>
          {batch.periodEnd ? ` · period to ${batch.periodEnd.toISOString().slice(0, 10)}` : " · on demand"} · cut-off
          posting #{batch.cutoffPostingId.toString()}
        </p>
        {["completed", "partly_failed", "failed"].includes(batch.status) && (
          <p className="mt-2 text-sm" data-testid="batch-outcome">
            {posted} of {items.length} transfers paid
            {failed ? `; ${failed} failed (see below: each says why, and can be retried once fixed)` : ""}.
          </p>
        )}
        <div className="mt-2">
          <LogReceiptLine receipt={receipt} what="This batch's latest step" testId="batch-log-receipt" />
        </div>
        <RefreshWhile active={batch.status === "executing"} />
      </div>
      {warningWhen[batch.status] && <UnpayableWarning payees={unpayable} when={warningWhen[batch.status]} />}
      <section className="card space-y-3">
        <h2 className="font-semibold">
          Approvals ({approvals.length} of {limits.approvals.payoutBatch})
        </h2>
        <ul className="text-sm" data-testid="approvals">
          {approvals.map((a) => (
            <li key={a.userId}>
              {a.email} at {a.at.toISOString().slice(0, 19).replace("T", " ")}
              <OriginMark origin={originOfRecord(forks, a.at)} />
            </li>
          ))}
        </ul>
        <div className="flex flex-wrap gap-3">
          {batch.status === "draft" && !approvedByMe && (
            <ActionForm action={approvePayoutBatchAction} submitLabel="Approve">
              <input type="hidden" name="batchId" value={batch.id} />
            </ActionForm>
          )}
          {batch.status === "draft" && approvedByMe && (
            <p className="text-sm text-stone-600">
              You approved this batch; a second finance user must approve it too.
            </p>
          )}
          {batch.status === "approved" && (
            <ConfirmWithReason
              triggerLabel="Execute: send the transfers"
              title="Send this batch's transfers?"
              consequence={
                <p>
                  This sends {batch.itemCount} {batch.itemCount === 1 ? "transfer" : "transfers"} totalling{" "}
                  {formatMoney(batch.totalMinor, batch.currency)} to the payees&apos; accounts. Money sent cannot be
                  called back from Guildhall.
                  {unpayable.length > 0
                    ? ` ${unpayable.length} of them cannot be paid yet (no payout account) and will fail.`
                    : ""}
                </p>
              }
              confirmLabel="Send the transfers"
              action={executePayoutBatchAction}
              fields={{ batchId: batch.id }}
              testId="execute-batch"
            />
          )}
          {(batch.status === "draft" || batch.status === "approved") && (
            <ConfirmWithReason
              triggerLabel="Void"
              title="Void this batch?"
              consequence={
                <p>
                  A voided batch cannot be approved or sent again. Nothing is paid; the amounts stay owed and go into
                  the next batch.
                </p>
              }
              confirmLabel="Void the batch"
              action={voidPayoutBatchAction}
              fields={{ batchId: batch.id }}
              testId="void-batch"
            />
          )}
          <a className="btn-secondary" href={`/api/finance/batches/${batch.id}/csv`}>
            Download CSV
          </a>
        </div>
      </section>
      <MoneyChart
        currency={batch.currency}
        title="Where this batch's money goes"
        bars={byKind.map((k) => ({
          label: kindLabels[k.kind] ?? k.kind,
          amountMinor: k.amount,
          color: kindColors[k.kind] ?? "#999",
        }))}
      />
      <BatchItems batchId={batch.id} batchStatus={batch.status} items={items} />
    </div>
  );
}
