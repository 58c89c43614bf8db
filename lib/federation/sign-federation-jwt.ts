import "server-only";
import { SignJWT, type JWTPayload } from "jose";
import { getActiveSigningKey } from "@/lib/keys/get-active-signing-key";
import { getPublicJwks } from "@/lib/keys/get-public-jwks";

/** Signs a federation JWT with the trust anchor's key: explicit `typ` and `kid`, as every federation JWT must carry. */
export async function signFederationJwt(typ: string, claims: JWTPayload): Promise<string> {
  const key = await getActiveSigningKey("federation");
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ }).sign(key.privateKey);
}

/** The trust anchor's published federation keys (active, and retired ones still in their overlap). */
export async function trustAnchorJwks() {
  await getActiveSigningKey("federation");
  return getPublicJwks(["federation"]);
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
