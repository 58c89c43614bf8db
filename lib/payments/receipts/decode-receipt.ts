import "server-only";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { receiptClaimsSchema, RECEIPT_TYP, type ReceiptClaims } from "@/lib/payments/receipts/receipt-schema";

/**
 * The claims of a receipt Guildhall itself stored, for display: the signature
 * is not checked here (the row is ours); tools/receipt-verify and
 * verifyReceipt check receipts that come from outside.
 */
export function decodeReceipt(jws: string): ReceiptClaims {
  if (decodeProtectedHeader(jws).typ !== RECEIPT_TYP) throw new Error("not a receipt");
  return receiptClaimsSchema.parse(decodeJwt(jws));
}
