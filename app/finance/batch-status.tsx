/**
 * A payout batch's and item's states in words a finance user reads, never
 * the stored codes. A batch is "Paid" only when every transfer went through.
 */
const batchLabels: Record<string, string> = {
  draft: "Awaiting approval",
  approved: "Approved, not sent yet",
  executing: "Sending transfers…",
  completed: "Paid",
  partly_failed: "Partly paid: some transfers failed",
  failed: "Failed: no transfer went through",
  voided: "Voided",
};

const batchTones: Record<string, string> = {
  completed: "bg-green-100 text-green-900",
  partly_failed: "bg-red-100 text-red-900",
  failed: "bg-red-100 text-red-900",
  executing: "bg-amber-100 text-amber-900",
};

export function batchStatusLabel(status: string): string {
  return batchLabels[status] ?? status;
}

export function BatchStatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span
      className={`inline-block rounded px-2 py-0.5 text-sm font-medium ${batchTones[status] ?? "bg-stone-100 text-stone-800"}`}
      data-testid={testId}
      data-status={status}
    >
      {batchStatusLabel(status)}
    </span>
  );
}

/** An item's state; a pending item's words depend on where its batch is. */
export function itemStatusLabel(itemStatus: string, batchStatus: string): string {
  if (itemStatus === "posted") return "Paid";
  if (itemStatus === "failed") return "Failed";
  if (itemStatus === "voided") return "Not sent (batch voided)";
  if (batchStatus === "executing") return "Sending…";
  return batchStatus === "approved" ? "Ready to send" : "Awaiting approval";
}

/** A stored failure reason, explained with what to do about it. */
export function failureAdvice(reason: string): string {
  if (reason.includes("no connected account"))
    return "The payee has no payout account yet. Ask them to connect one on their Payouts page, then retry.";
  if (reason.includes("reversed")) return "The provider took the transfer back; the amount goes into the next batch.";
  return `The provider refused the transfer (${reason}). Fix the cause, then retry.`;
}
