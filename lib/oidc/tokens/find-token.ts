import "server-only";
import { decodeJwt } from "jose";
import { db } from "@/lib/db/client";
import { sha256Hex } from "@/lib/crypto/hash";
import { issuer } from "@/lib/oidc/config";
import { verifyOidcJwt } from "@/lib/oidc/signing";

/**
 * The stored record of a token presented to introspection or revocation: an
 * access token by the jti of a JWT we signed (the signature is checked, an
 * expired one still found), a refresh token by its hash. Null when unknown.
 */
export async function findToken(token: string) {
  if (token.split(".").length === 3) {
    try {
      const claims = decodeJwt(token);
      const now = Date.now() / 1000;
      const { payload } = await verifyOidcJwt(token, {
        issuer: issuer(),
        typ: "at+jwt",
        currentDate: typeof claims.exp === "number" && claims.exp < now ? new Date((claims.exp - 1) * 1000) : undefined,
      });
      return db().oidcToken.findUnique({ where: { id: String(payload.jti) }, include: { client: true } });
    } catch {
      return null;
    }
  }
  return db().oidcToken.findUnique({ where: { tokenHash: sha256Hex(token) }, include: { client: true } });
}
