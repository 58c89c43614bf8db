import "server-only";
import { findFederationMember, type FederationMember } from "@/lib/governance/federation/read-federation-hosts";
import { FederationError } from "@/lib/federation/federation-error";
import {
  federationEndpoint,
  federationTtl,
  federationTypes,
  trustAnchorId,
} from "@/lib/federation/federation-constants";
import { hostMetadataPolicy } from "@/lib/federation/metadata-policy";
import { nowSeconds, signFederationJwt } from "@/lib/federation/sign-federation-jwt";

/**
 * The anchor's Subordinate Statement about an admitted host (§3, §8.1): the
 * host's federation keys exactly as its admission vote declared them, the
 * metadata policy for its relying party, and a short lifetime, so that once
 * a vote removes the host (and fetch answers not_found) what others cached
 * lapses within the hour.
 */
export function buildSubordinateStatement(member: FederationMember) {
  const iat = nowSeconds();
  return {
    iss: trustAnchorId(),
    sub: member.entityId,
    iat,
    exp: iat + federationTtl.subordinateStatementSeconds,
    jwks: member.jwks,
    metadata_policy: hostMetadataPolicy(member.redirectUris),
    source_endpoint: federationEndpoint("fetch"),
  };
}

export async function getSubordinateStatementJwt(sub: string): Promise<string> {
  const member = await findFederationMember(sub);
  if (!member) throw new FederationError("not_found", "No admitted host has that Entity Identifier.");
  return signFederationJwt(federationTypes.entityStatement, buildSubordinateStatement(member));
}

/**
 * The fetch endpoint's parameters (§8.1.1): `sub` is required here (without
 * it the request would ask for the anchor's own configuration, served at
 * /.well-known/openid-federation), and must be a URL.
 */
export function parseFetchRequest(params: URLSearchParams): { sub: string } {
  const sub = params.get("sub");
  if (!sub) throw new FederationError("invalid_request", "The sub parameter is required.");
  if (!URL.canParse(sub)) throw new FederationError("invalid_request", "sub must be an Entity Identifier (a URL).");
  if (sub === trustAnchorId())
    throw new FederationError("invalid_request", "The trust anchor is not its own subordinate.");
  return { sub };
}
