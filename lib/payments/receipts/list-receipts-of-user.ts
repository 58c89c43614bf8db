import "server-only";
import { db } from "@/lib/db/client";
import { decodeReceipt } from "@/lib/payments/receipts/decode-receipt";
import { issueReceipt } from "@/lib/payments/receipts/issue-receipt";

/**
 * A person's receipts, newest first, each with its decoded claims for the
 * page. Paid orders of theirs whose receipt the outbox has not made yet are
 * issued here, so the list is never missing a purchase.
 */
export async function listReceiptsOfUser(userId: string) {
  const unissued = await db().paymentOrder.findMany({
    where: { buyerUserId: userId, status: "paid", NOT: { id: { in: await issuedOrderIds(userId) } } },
    select: { id: true },
  });
  for (const order of unissued) await issueReceipt(order.id);
  const rows = await db().receipt.findMany({ where: { buyerUserId: userId }, orderBy: { issuedAt: "desc" } });
  return rows.map((row) => ({ ...row, claims: decodeReceipt(row.jws) }));
}

async function issuedOrderIds(userId: string): Promise<string[]> {
  const rows = await db().receipt.findMany({ where: { buyerUserId: userId }, select: { orderId: true } });
  return rows.map((r) => r.orderId);
}
