import "server-only";
import { getPublicJwks } from "@/lib/keys/get-public-jwks";

/** The published receipt keys (JWKS): the active one and retired ones kept for verifying old receipts. */
export async function getReceiptKeys() {
  return getPublicJwks(["receipt"]);
}
