import "server-only";
import crypto from "node:crypto";
import { db, type Tx } from "@/lib/db/client";

/**
 * The app account token of a signed-in app user: a UUID (the form StoreKit
 * takes in `appAccountToken`) made from the pairwise subject the app's client
 * sees, so the token names the account to Guildhall and to this app only, and
 * carries nothing another app could link. The first 16 bytes of
 * SHA-256("guildhall:app-account-token\n" + sub), with the version (8, a
 * name-based UUID of our own) and the variant bits set as RFC 9562 asks.
 */
export function appAccountTokenFor(pairwiseSubject: string): string {
  const bytes = crypto.createHash("sha256").update(`guildhall:app-account-token\n${pairwiseSubject}`).digest();
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Records the token of a user signed in to the app (through its OIDC client)
 * and returns it, for the app to set on its purchases. Idempotent: the same
 * user and client always get the same token.
 */
export async function registerAppAccountToken(input: { userId: string; clientId: string; subject: string }) {
  const token = appAccountTokenFor(input.subject);
  await db().appAccountToken.createMany({
    data: [{ token, userId: input.userId, clientId: input.clientId }],
    skipDuplicates: true,
  });
  return { appAccountToken: token };
}

/** The Guildhall user a purchase's token names, or null (no token, or one never registered). */
export async function userOfAppAccountToken(tx: Tx, token: string | null): Promise<string | null> {
  if (!token) return null;
  const row = await tx.appAccountToken.findUnique({ where: { token: token.toLowerCase() }, select: { userId: true } });
  return row?.userId ?? null;
}
