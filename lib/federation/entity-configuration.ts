import "server-only";
import { discoveryDocument } from "@/lib/oidc/discovery";
import {
  federationEndpoint,
  federationTtl,
  federationTypes,
  trustAnchorId,
  trustMarkTypes,
} from "@/lib/federation/federation-constants";
import { nowSeconds, signFederationJwt, trustAnchorJwks } from "@/lib/federation/sign-federation-jwt";

export const SERVICE_CONFIGURATION_URL_PATH = "/.well-known/guildhall/service-configuration";

/**
 * Guildhall's Entity Configuration as the Trust Anchor (OpenID Federation
 * 1.0 §3, §5): iss = sub = the anchor, its federation keys, the federation
 * endpoints, its OpenID Provider metadata (the discovery document), and the
 * trust marks it issues itself. No authority_hints: nothing is above it.
 * The signed service configuration's URL rides along as an extension member
 * of its federation_entity metadata, so a backend that pinned the anchor
 * finds the configuration from here.
 */
export async function buildEntityConfiguration() {
  const anchor = trustAnchorId();
  const iat = nowSeconds();
  const types = trustMarkTypes();
  return {
    iss: anchor,
    sub: anchor,
    iat,
    exp: iat + federationTtl.entityConfigurationSeconds,
    jwks: await trustAnchorJwks(),
    metadata: {
      federation_entity: {
        federation_fetch_endpoint: federationEndpoint("fetch"),
        federation_list_endpoint: federationEndpoint("list"),
        federation_resolve_endpoint: federationEndpoint("resolve"),
        federation_trust_mark_endpoint: federationEndpoint("trustMark"),
        federation_trust_mark_status_endpoint: federationEndpoint("trustMarkStatus"),
        organization_name: "Guildhall",
        guildhall_service_configuration_uri: `${anchor}${SERVICE_CONFIGURATION_URL_PATH}`,
      },
      // Automatic registration (§12.1): an admitted host's relying party uses its entity id as client id and
      // signs its request objects with an admitted key. Guildhall has no federation_registration_endpoint, so
      // it does not offer explicit registration; clients outside the federation register manually.
      openid_provider: {
        ...discoveryDocument(),
        client_registration_types_supported: ["automatic"],
        request_authentication_methods_supported: {
          authorization_endpoint: ["request_object"],
          pushed_authorization_request_endpoint: ["request_object"],
        },
      },
    },
    trust_mark_issuers: { [types.admittedHost]: [anchor], [types.licensedTheater]: [anchor] },
  };
}

let cached: { jwt: string; until: number } | undefined;

/**
 * The signed Entity Configuration, signed again at most once a minute per
 * process: it is fetched by every party that resolves a chain, and an ES256
 * signature costs more than serving it. A key rotation shows within a minute.
 */
export async function getEntityConfigurationJwt(): Promise<string> {
  const now = Date.now();
  if (cached && cached.until > now) return cached.jwt;
  const jwt = await signFederationJwt(federationTypes.entityStatement, await buildEntityConfiguration());
  cached = { jwt, until: now + federationTtl.cacheSeconds * 1000 };
  return jwt;
}

/** Drops the cached statement (tests that rotate the key, and a rotation in this process). */
export function forgetEntityConfiguration(): void {
  cached = undefined;
}
