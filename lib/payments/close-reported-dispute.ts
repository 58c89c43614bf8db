import "server-only";
import type { Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/access/actor";
import { advisoryLockNames, lockNameForTransaction } from "@/lib/db/advisory-locks";
import { closeDispute } from "@/lib/payments/close-dispute";

/**
 * A provider reported a dispute's end (won or lost, or its funds reinstated): the recorded dispute is closed
 * (closeDispute). A dispute not recorded because its payment was not yet (holdDisputeUntilPaid) keeps the
 * outcome instead (`held`), so that the payment, once recorded, takes the dispute and closes it as the
 * provider did. The held dispute is read again under the payment's lock, which the transaction recording the
 * payment holds too (postFundingPayment): either it is still held, or it was applied meanwhile and the
 * recorded dispute is closed.
 */
export async function closeReportedDispute(
  tx: Tx,
  { provider, disputeId, won, actor }: { provider: string; disputeId: string; won: boolean; actor: Actor },
): Promise<"closed" | "already_closed" | "held" | "unknown"> {
  const closed = await closeDispute(tx, { providerRef: disputeId, won, actor });
  if (closed !== "unknown") return closed;
  const key = { provider_disputeId: { provider, disputeId } };
  const held = await tx.heldProviderDispute.findUnique({ where: key, select: { paymentRef: true } });
  if (!held) return "unknown";
  await lockNameForTransaction(tx, advisoryLockNames.providerPayment(provider, held.paymentRef));
  const now = await tx.heldProviderDispute.findUniqueOrThrow({ where: key });
  if (now.appliedAt) return closeDispute(tx, { providerRef: disputeId, won, actor });
  await tx.heldProviderDispute.update({ where: key, data: { outcome: won ? "won" : "lost" } });
  return "held";
}
