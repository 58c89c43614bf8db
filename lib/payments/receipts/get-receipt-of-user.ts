import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";

/**
 * One receipt of the signed-in person. Someone else's receipt, or an id that
 * does not exist, is the same NOT_FOUND, so receipt ids cannot be probed.
 */
export async function getReceiptOfUserOrThrow(input: { userId: string; receiptId: string }) {
  const row = await db().receipt.findUnique({ where: { id: input.receiptId } });
  if (!row || row.buyerUserId !== input.userId)
    throw new AppError("NOT_FOUND", { userMessage: "No such receipt.", reason: "RECEIPT_NOT_FOUND" });
  return row;
}
