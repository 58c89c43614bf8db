import "server-only";
import type { Tx } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";

/**
 * What an app store says of a funding's subscription: active (renewing), past_due (a renewal failed, the
 * store retries, or the funder's account is on hold), canceling (renewal turned off: it runs to its paid
 * end), paused (Google: the funder paused it; nothing is billed until it resumes), canceled (expired or
 * revoked: it ended).
 */
export type StoreFundingStatus = "active" | "past_due" | "canceling" | "paused" | "canceled";

/**
 * Sets a store funding's state in the order of the store's own timestamps: a notification delivered late
 * never undoes a newer one (`storeStateAt`). Money is never moved here: payments and refunds are recorded
 * by transaction, whatever order they arrive in. Answers "unknown" for a funding that is not a store's.
 */
export async function applyStoreFundingState(
  tx: Tx,
  { fundingId, change, actor }: { fundingId: string; change: { status: StoreFundingStatus; at: Date }; actor: Actor },
): Promise<"applied" | "stale" | "unknown"> {
  const [funding] = await tx.$queryRaw<{ status: string; provider: string; storeStateAt: Date | null }[]>`
    SELECT "status", "provider", "storeStateAt" FROM "Funding" WHERE "id" = ${fundingId} FOR UPDATE`;
  if (!funding || (funding.provider !== "apple" && funding.provider !== "google")) return "unknown";
  if (funding.storeStateAt && funding.storeStateAt.getTime() > change.at.getTime()) return "stale";
  await tx.funding.update({
    where: { id: fundingId },
    data: {
      status: change.status,
      storeStateAt: change.at,
      ...(change.status === "canceled" && funding.status !== "canceled" ? { canceledAt: change.at } : {}),
    },
  });
  if (funding.status !== change.status)
    await appendAuditEvent(tx, {
      actor,
      action: `funding.${change.status}`,
      subject: { type: "funding", id: fundingId },
      state: { status: change.status, at: change.at },
      data: { from: funding.status, to: change.status, channel: funding.provider },
    });
  return "applied";
}
