import "server-only";
import { env } from "@/lib/config/env";
import { getReceiptKeys } from "@/lib/payments/receipts/get-receipt-keys";
import { listReceiptsOfUser } from "@/lib/payments/receipts/list-receipts-of-user";
import { findLogReceiptIfAny } from "@/lib/transparency/find-log-receipt";

export const RECEIPT_BUNDLE_FORMAT = "guildhall-receipts";

/**
 * All of a person's receipts in one file: the compact JWSs as signed, and a
 * copy of the receipt keys for convenience (a verifier should take the keys
 * from the issuer's /.well-known/guildhall/receipt-keys or a copy kept
 * beforehand, not from the file it checks), and for each order whose
 * `order.paid` entry is integrated, its inclusion proof against the latest
 * checkpoint (the shape of GET /api/log/receipt), so tools/receipt-verify
 * can hold every receipt to the log offline.
 */
export async function buildReceiptBundle(userId: string) {
  const [receipts, keys] = await Promise.all([listReceiptsOfUser(userId), getReceiptKeys()]);
  const logProofs: Record<string, unknown> = {};
  for (const r of receipts) {
    const proof = await findLogReceiptIfAny({ kind: "order", id: r.orderId });
    if (proof?.status === "integrated") logProofs[r.orderId] = proof;
  }
  return {
    format: RECEIPT_BUNDLE_FORMAT,
    v: 1,
    issuer: env().publicUrl,
    exportedAt: new Date().toISOString(),
    keys,
    receipts: receipts.map((r) => r.jws),
    logProofs,
  };
}
