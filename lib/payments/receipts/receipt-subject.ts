import "server-only";
import crypto from "node:crypto";
import { env } from "@/lib/config/env";

let receiptSubjectKey: Buffer | undefined;

/**
 * Who a receipt is for, as the theater may know them: an HMAC of the theater
 * and the user id under a key derived from the master key (as OIDC pairwise
 * subjects are, with a key of its own). Stable for one theater, so a theater
 * sees that two receipts are one buyer's; unlinkable across theaters; and no
 * email address or user id appears in a receipt.
 */
export function receiptSubjectFor({ theaterOrgId, userId }: { theaterOrgId: string; userId: string }): string {
  receiptSubjectKey ??= Buffer.from(
    crypto.hkdfSync("sha256", env().masterKey, Buffer.alloc(0), "guildhall:receipt-subject", 32),
  );
  return crypto.createHmac("sha256", receiptSubjectKey).update(`${theaterOrgId}\n${userId}`).digest("base64url");
}
