import "server-only";
import { importJWK } from "jose";
import type { Tx } from "@/lib/db/client";
import { AppError, type FailureReason } from "@/lib/errors/app-error";
import type { FederationDeclaration } from "@/lib/governance/federation/host-declaration";

function unprocessable(userMessage: string, reason: FailureReason): AppError {
  return new AppError("UNPROCESSABLE", { userMessage, reason });
}

/**
 * What the schema cannot see, checked when an admission proposal is made, so
 * a vote is never held on a declaration that could not be published:
 *  - every key imports as a signing key (a JWK of the right shape for its kty);
 *  - the entity id is not another host's (it identifies one host in the federation).
 */
export async function checkFederationDeclaration(tx: Tx, hostOrgId: string, d: FederationDeclaration) {
  for (const jwk of d.jwks.keys) {
    try {
      await importJWK(jwk, jwk.alg ?? (jwk.kty === "OKP" ? "EdDSA" : jwk.kty === "EC" ? "ES256" : "RS256"));
    } catch {
      throw unprocessable(`Federation key ${jwk.kid} is not a usable public key.`, "BAD_FEDERATION_KEY");
    }
  }
  const holder = await tx.federationHost.findUnique({ where: { entityId: d.entityId }, select: { hostOrgId: true } });
  if (holder && holder.hostOrgId !== hostOrgId)
    throw unprocessable("That entity id belongs to another host.", "ENTITY_ID_TAKEN");
}
