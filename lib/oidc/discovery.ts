import "server-only";
import { CLIENT_AUTH_METHODS, endpoint, GRANT_TYPES, ID_TOKEN_ALGS, issuer } from "@/lib/oidc/config";
import { ACR_VALUES } from "@/lib/oidc/auth-method";
import { OIDC_SCOPES } from "@/lib/oidc/scopes";
import { installedClaimSources } from "@/lib/oidc/claims/claim-sources";
import { CLIENT_SIGNING_ALGS } from "@/lib/oidc/clients/client-key-set";
import { DPOP_SIGNING_ALGS } from "@/lib/oidc/checks/check-dpop-proof";

const ASSERTION_ALGS = ["RS256", "PS256", "ES256", "EdDSA"];

/**
 * The OpenID Provider metadata (OIDC Discovery §3), built from the issuer
 * only; also served as RFC 8414 authorization server metadata, which shares
 * its members.
 */
export function discoveryDocument() {
  const authMethods = CLIENT_AUTH_METHODS.filter((m) => m !== "none");
  return {
    issuer: issuer(),
    authorization_endpoint: endpoint("authorization"),
    token_endpoint: endpoint("token"),
    userinfo_endpoint: endpoint("userinfo"),
    jwks_uri: endpoint("jwks"),
    registration_endpoint: endpoint("registration"),
    introspection_endpoint: endpoint("introspection"),
    revocation_endpoint: endpoint("revocation"),
    end_session_endpoint: endpoint("endSession"),
    pushed_authorization_request_endpoint: endpoint("pushedAuthorizationRequest"),
    require_pushed_authorization_requests: false,
    scopes_supported: [...OIDC_SCOPES],
    response_types_supported: ["code"],
    response_modes_supported: ["query", "form_post"],
    grant_types_supported: [...GRANT_TYPES],
    subject_types_supported: ["public", "pairwise"],
    id_token_signing_alg_values_supported: [...ID_TOKEN_ALGS],
    token_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    introspection_endpoint_auth_methods_supported: authMethods,
    introspection_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    revocation_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    revocation_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    code_challenge_methods_supported: ["S256"],
    acr_values_supported: [...ACR_VALUES],
    prompt_values_supported: ["none", "login", "consent", "select_account"],
    claim_types_supported: ["normal"],
    claims_supported: [
      "sub",
      "iss",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "nonce",
      "acr",
      "amr",
      "at_hash",
      "sid",
      ...installedClaimSources().flatMap((s) => s.claims),
    ],
    claims_parameter_supported: false,
    // RFC 9101: request objects by value, or pushed (RFC 9126); none fetched from a client's URL.
    request_parameter_supported: true,
    request_uri_parameter_supported: false,
    request_object_signing_alg_values_supported: [...CLIENT_SIGNING_ALGS],
    require_signed_request_object: false,
    // RFC 9449 §5.1.
    dpop_signing_alg_values_supported: [...DPOP_SIGNING_ALGS],
    authorization_response_iss_parameter_supported: true,
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    frontchannel_logout_supported: false,
  };
}

let body: string | undefined;

/** The serialized document; it depends only on configuration, so it is built once per process. */
export function discoveryBody(): string {
  body ??= JSON.stringify(discoveryDocument());
  return body;
}
