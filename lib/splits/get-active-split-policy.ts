import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";

/** The active version for a product kind and currency, or UNPROCESSABLE: a sale must never be split by a guess. */
export async function getActiveSplitPolicyOrThrow(
  tx: Tx,
  { productKind, currency }: { productKind: string; currency: string },
) {
  const policy = await tx.splitPolicy.findFirst({ where: { productKind, currency, status: "active" } });
  if (!policy) {
    throw new AppError("UNPROCESSABLE", {
      userMessage: `No split policy is active for ${productKind} in ${currency}; finance must approve one first.`,
      reason: "NO_ACTIVE_SPLIT_POLICY",
    });
  }
  return policy;
}
