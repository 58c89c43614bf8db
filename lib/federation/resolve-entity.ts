import "server-only";
import { createLocalJWKSet, decodeJwt, jwtVerify, type JWK, type JWTPayload } from "jose";
import { findFederationMember } from "@/lib/governance/federation/read-federation-hosts";
import { FederationError } from "@/lib/federation/federation-error";
import { federationTtl, federationTypes, trustAnchorId, trustMarkTypes } from "@/lib/federation/federation-constants";
import { buildSubordinateStatement } from "@/lib/federation/subordinate-statement";
import { fetchEntityConfiguration } from "@/lib/federation/fetch-entity-configuration";
import { applyMetadataPolicy, checkResolvedRelyingParty } from "@/lib/federation/metadata-policy";
import { getEntityConfigurationJwt } from "@/lib/federation/entity-configuration";
import { issueTrustMark } from "@/lib/federation/trust-marks";
import { nowSeconds, signFederationJwt } from "@/lib/federation/sign-federation-jwt";

const known = new Set(["sub", "trust_anchor", "entity_type"]);

export function parseResolveRequest(params: URLSearchParams) {
  for (const name of params.keys())
    if (!known.has(name)) throw new FederationError("unsupported_parameter", `Unknown parameter ${name}.`);
  const sub = params.get("sub");
  const anchor = params.get("trust_anchor");
  if (!sub || !anchor) throw new FederationError("invalid_request", "sub and trust_anchor are required.");
  if (!URL.canParse(sub)) throw new FederationError("invalid_request", "sub must be an Entity Identifier (a URL).");
  if (anchor !== trustAnchorId())
    throw new FederationError("invalid_trust_anchor", "This resolver knows only its own trust anchor.");
  return { sub, entityTypes: params.getAll("entity_type") };
}

/** Verifies a statement's type, signature (with one of `jwks`), issuer, subject and times. */
async function verifyStatement(jwt: string, jwks: { keys: JWK[] }, iss: string, sub: string, what: string) {
  try {
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), {
      typ: federationTypes.entityStatement,
      issuer: iss,
      subject: sub,
      requiredClaims: ["iat", "exp", "jwks"],
    });
    return payload;
  } catch (e) {
    const reason = e instanceof Error ? e.message : "it does not verify";
    throw new FederationError("invalid_trust_chain", `${what}: ${reason}.`);
  }
}

/**
 * Resolves an admitted host's trust chain to this anchor (§10):
 *  1. the host is admitted now (else not_found: a removed host resolves no more);
 *  2. its Entity Configuration is fetched, is self-signed with a key of its
 *     own `jwks`, names itself, is within its times and names this anchor in
 *     authority_hints;
 *  3. it is also signed with a key the admission declared (the anchor's
 *     Subordinate Statement's `jwks`): a host key that is not the admitted
 *     one breaks the chain;
 *  4. the metadata policy is applied to its metadata (of the entity types
 *     asked for, all when none); broken resolved metadata is refused.
 * Shared by the resolve endpoint and automatic registration.
 */
export async function resolveHostChain(p: { sub: string; entityTypes: string[] }) {
  const member = await findFederationMember(p.sub);
  if (!member) throw new FederationError("not_found", "No admitted host has that Entity Identifier.");
  const ecJwt = await fetchEntityConfiguration(member.entityId);
  let selfKeys: { keys: JWK[] };
  try {
    selfKeys = decodeJwt(ecJwt).jwks as { keys: JWK[] };
    if (!Array.isArray(selfKeys?.keys)) throw new Error("no jwks");
  } catch {
    throw new FederationError("invalid_trust_chain", "The entity configuration is not a statement with keys.");
  }
  const ec: JWTPayload = await verifyStatement(
    ecJwt,
    selfKeys,
    member.entityId,
    member.entityId,
    "Entity configuration",
  );
  await verifyStatement(
    ecJwt,
    member.jwks as { keys: JWK[] },
    member.entityId,
    member.entityId,
    "Not signed with an admitted key",
  );
  const hints = ec.authority_hints;
  if (!Array.isArray(hints) || !hints.includes(trustAnchorId()))
    throw new FederationError("invalid_trust_chain", "The entity does not name this trust anchor as its superior.");

  const statement = buildSubordinateStatement(member);
  const declared = (ec.metadata ?? {}) as Record<string, Record<string, unknown>>;
  const metadata: Record<string, Record<string, unknown>> = {};
  for (const [type, value] of Object.entries(declared)) {
    if (p.entityTypes.length && !p.entityTypes.includes(type)) continue;
    const policy = statement.metadata_policy[type];
    metadata[type] = policy ? applyMetadataPolicy(value, policy) : value;
    if (type === "openid_relying_party") checkResolvedRelyingParty(metadata[type]);
  }
  return { member, ec, ecJwt, statement, metadata, exp: Math.min(Number(ec.exp), statement.exp) };
}

/** The resolve endpoint (§8.3): the chain resolved, answered signed with the chain and the admitted-host trust mark; it expires with the chain. */
export async function resolveEntity(p: { sub: string; entityTypes: string[] }): Promise<string> {
  const { member, ec, ecJwt, statement, metadata } = await resolveHostChain(p);
  const [statementJwt, anchorJwt, admittedMark] = await Promise.all([
    signFederationJwt(federationTypes.entityStatement, statement),
    getEntityConfigurationJwt(),
    issueTrustMark(new URLSearchParams({ trust_mark_type: trustMarkTypes().admittedHost, sub: member.entityId })),
  ]);
  const iat = nowSeconds();
  const exp = Math.min(
    Number(ec.exp),
    statement.exp,
    decodeJwt(anchorJwt).exp ?? Number.POSITIVE_INFINITY,
    iat + federationTtl.resolveResponseSeconds,
  );
  return signFederationJwt(federationTypes.resolveResponse, {
    iss: trustAnchorId(),
    sub: member.entityId,
    iat,
    exp,
    metadata,
    trust_marks: [{ trust_mark_type: trustMarkTypes().admittedHost, trust_mark: admittedMark }],
    trust_chain: [ecJwt, statementJwt, anchorJwt],
  });
}
