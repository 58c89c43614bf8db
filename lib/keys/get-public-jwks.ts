import "server-only";
import type { JWK } from "jose";
import { db } from "@/lib/db/client";
import type { SigningKeyPurpose } from "@/lib/keys/signing-key-purposes";

/** The published keys of some purposes: active ones and retired ones still in their overlap. */
export async function getPublicJwks(purposes: SigningKeyPurpose[]): Promise<{ keys: JWK[] }> {
  const now = new Date();
  const keys = await db().signingKey.findMany({
    where: { purpose: { in: purposes }, OR: [{ removeAfter: null }, { removeAfter: { gt: now } }] },
    orderBy: { createdAt: "desc" },
    select: { publicJwk: true },
  });
  return { keys: keys.map((k) => k.publicJwk as JWK) };
}
