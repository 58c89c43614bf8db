import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { sha256Hex } from "@/lib/crypto/hash";
import { InvalidClientMetadata, InvalidRedirectUri, InvalidToken } from "@/lib/oidc/errors";
import { createClient } from "@/lib/oidc/clients/create-client";
import { clientMetadataSchema } from "@/lib/oidc/clients/client-metadata";

/** The RFC 7591 / OIDC Registration metadata we accept, in its wire names. */
const wireSchema = z.object({
  client_name: z.string().optional(),
  application_type: z.string().optional(),
  redirect_uris: z.array(z.string()).optional(),
  post_logout_redirect_uris: z.array(z.string()).optional(),
  backchannel_logout_uri: z.string().optional(),
  grant_types: z.array(z.string()).optional(),
  response_types: z.array(z.literal("code")).optional(),
  scope: z.string().optional(),
  token_endpoint_auth_method: z.string().optional(),
  subject_type: z.string().optional(),
  sector_identifier: z.string().optional(),
  jwks: z.unknown().optional(),
  jwks_uri: z.string().optional(),
  id_token_signed_response_alg: z.string().optional(),
  require_pushed_authorization_requests: z.boolean().optional(),
  require_signed_request_object: z.boolean().optional(),
  dpop_bound_access_tokens: z.boolean().optional(),
});

/**
 * Dynamic client registration (RFC 7591), gated by an initial access token an
 * admin issued. Checks: the bearer token is a live initial access token; the
 * metadata passes the same rules as portal registration (bad redirect URIs
 * are invalid_redirect_uri, anything else invalid_client_metadata).
 */
export async function registerClientDynamically(
  initialAccessToken: string | undefined,
  body: unknown | (() => Promise<unknown>),
) {
  if (!initialAccessToken) throw new InvalidToken("an initial access token is required");
  const iat = await db().oidcInitialAccessToken.findUnique({ where: { tokenHash: sha256Hex(initialAccessToken) } });
  if (!iat || iat.revokedAt || iat.expiresAt < new Date())
    throw new InvalidToken("the initial access token is invalid or expired");

  // The body is read only once the token is known good, so an unauthenticated caller learns nothing of its rules.
  const wire = wireSchema.safeParse(typeof body === "function" ? await body() : body);
  if (!wire.success) throw new InvalidClientMetadata(wire.error.issues[0].message);
  const w = wire.data;
  const metadata = await clientMetadataSchema.safeParseAsync({
    name: w.client_name ?? "Unnamed client",
    applicationType: w.application_type,
    redirectUris: w.redirect_uris,
    postLogoutRedirectUris: w.post_logout_redirect_uris,
    backchannelLogoutUri: w.backchannel_logout_uri,
    grantTypes: w.grant_types,
    scopes: w.scope?.split(" ").filter(Boolean),
    tokenEndpointAuthMethod: w.token_endpoint_auth_method,
    subjectType: w.subject_type,
    sectorIdentifier: w.sector_identifier,
    jwks: w.jwks,
    jwksUri: w.jwks_uri,
    idTokenSignedResponseAlg: w.id_token_signed_response_alg,
    requirePushedAuthorizationRequests: w.require_pushed_authorization_requests,
    requireSignedRequestObject: w.require_signed_request_object,
    dpopBoundAccessTokens: w.dpop_bound_access_tokens,
  });
  if (!metadata.success) {
    const issue = metadata.error.issues[0];
    const message = `${issue.path.join(".")}: ${issue.message}`;
    throw issue.path[0] === "redirectUris" ? new InvalidRedirectUri(message) : new InvalidClientMetadata(message);
  }
  const { client, secret } = await db().$transaction(async (tx) => {
    await tx.oidcInitialAccessToken.update({ where: { id: iat.id }, data: { lastUsedAt: new Date() } });
    return createClient(tx, {
      metadata: metadata.data,
      hostOrgId: iat.hostOrgId,
      status: "approved",
      actor: { type: "system", id: `initial-access-token:${iat.id}` },
      via: "dynamic",
    });
  });
  return {
    client_id: client.id,
    ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
    client_id_issued_at: Math.floor(client.createdAt.getTime() / 1000),
    client_name: client.name,
    application_type: client.applicationType,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    ...(client.backchannelLogoutUri ? { backchannel_logout_uri: client.backchannelLogoutUri } : {}),
    grant_types: client.grantTypes,
    response_types: client.grantTypes.includes("authorization_code") ? ["code"] : [],
    scope: client.scopes.join(" "),
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    subject_type: client.subjectType,
    id_token_signed_response_alg: client.idTokenSignedResponseAlg,
    require_pushed_authorization_requests: client.requirePushedAuthorizationRequests,
    require_signed_request_object: client.requireSignedRequestObject,
    dpop_bound_access_tokens: client.dpopBoundAccessTokens,
    ...(client.jwksUri ? { jwks_uri: client.jwksUri } : {}),
    ...(client.jwks ? { jwks: client.jwks } : {}),
  };
}
