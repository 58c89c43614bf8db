import "server-only";
/**
 * What a finished batch is called, from what its transfers did. A batch is
 * "completed" only when every item was paid: a batch whose transfers were
 * refused must never read as done, on the page, in the list or in the email.
 */
export type FinishedBatchStatus = "completed" | "partly_failed" | "failed";

export function finishedBatchStatus(counts: { posted: number; failed: number }): FinishedBatchStatus {
  if (counts.failed === 0) return "completed";
  return counts.posted === 0 ? "failed" : "partly_failed";
}

/** The statuses of a batch that has run and has failed items that finance may send again. */
export const retryableBatchStatuses: readonly string[] = ["partly_failed", "failed"];
