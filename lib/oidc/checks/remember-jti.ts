import "server-only";
import { db } from "@/lib/db/client";
import { sha256Hex } from "@/lib/crypto/hash";

/**
 * Records that a signed object's jti was accepted, and says whether it was
 * new. The kind ("request-object", "dpop") and the signer (a client id, a key
 * thumbprint) are part of the key, so one signer's ids cannot collide with
 * another's. One statement, so two requests racing with the same object
 * cannot both win. Kept until `expiresAt`, after which the object would be
 * refused anyway (purgeExpiredOidcRecords deletes it then).
 */
export async function rememberJti({
  kind,
  signer,
  jti,
  expiresAt,
}: {
  kind: string;
  signer: string;
  jti: string;
  expiresAt: Date;
}): Promise<boolean> {
  const jtiHash = sha256Hex(`${kind}\n${signer}\n${jti}`);
  const inserted = await db()
    .$executeRaw`INSERT INTO "OidcUsedJti" ("jtiHash", "expiresAt") VALUES (${jtiHash}, ${expiresAt}) ON CONFLICT DO NOTHING`;
  return inserted === 1;
}
