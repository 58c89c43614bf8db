import "server-only";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { AppError } from "@/lib/errors/app-error";
import { submitRefund } from "@/lib/payments/submit-refund";

/** A reserved refund older than this whose provider call never answered is sent again. */
export const REFUND_STALLED_AFTER_MS = 30_000;

export type StalledRefundsResumed = { submitted: number; refused: number; failed: number };

/**
 * The refunds' part of the payments sweep (a background task, and `payments reconcile-orders`). A refund is
 * decided and its amount reserved before the provider is called (reserveRefund); if the process dies or its
 * database connection drops between the provider's refund and the transaction that records it, the request
 * stays reserved: no refund is lost or made twice, but the ledger does not yet know of money that left, and
 * before this sweep only the submitter sending the same refund again (or a provider event, which the
 * simulated provider never sends) settled it. Each reserved request older than the stall window is sent
 * again under its own key, so the provider answers the refund it already made (or makes it once), and it is
 * settled or released as submitRefund does. A provider that cannot be asked leaves it for the next round.
 */
export async function resumeStalledRefunds(
  opts: { stalledBefore?: Date; limit?: number } = {},
): Promise<StalledRefundsResumed> {
  const stalledBefore = opts.stalledBefore ?? new Date(Date.now() - REFUND_STALLED_AFTER_MS);
  const stalled = await db().refundRequest.findMany({
    where: { status: "reserved", createdAt: { lte: stalledBefore } },
    orderBy: { createdAt: "asc" },
    take: opts.limit ?? 100,
    select: { id: true },
  });
  const counts: StalledRefundsResumed = { submitted: 0, refused: 0, failed: 0 };
  for (const { id } of stalled) {
    try {
      await submitRefund({ refundRequestId: id, actor: { type: "system", id: "payments-sweep" } });
      counts.submitted += 1;
    } catch (e) {
      if (e instanceof AppError && e.code === "UNPROCESSABLE") counts.refused += 1;
      else {
        counts.failed += 1;
        log.warn(
          { refundRequestId: id, err: e instanceof Error ? e.message : String(e) },
          "stalled refund not resumed",
        );
      }
    }
  }
  return counts;
}
