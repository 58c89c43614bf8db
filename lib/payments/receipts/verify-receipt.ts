import "server-only";
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from "jose";
import { receiptClaimsSchema, RECEIPT_TYP, type ReceiptClaims } from "@/lib/payments/receipts/receipt-schema";

/**
 * Checks a receipt from outside (an imported backup) against a receipt key
 * set: its typ, a key of the set by kid, the signature, and the payload's
 * schema. Throws with the reason; tools/receipt-verify does the same with
 * node:crypto alone, for anyone without Guildhall's code.
 */
export async function verifyReceipt(jws: string, keys: JSONWebKeySet): Promise<ReceiptClaims> {
  if (decodeProtectedHeader(jws).typ !== RECEIPT_TYP) throw new Error(`its typ is not ${RECEIPT_TYP}`);
  const { payload } = await compactVerify(jws, createLocalJWKSet(keys), { algorithms: ["EdDSA", "ES256"] });
  return receiptClaimsSchema.parse(JSON.parse(new TextDecoder().decode(payload)));
}
