import "server-only";
import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { randomToken, sha256Hex } from "@/lib/crypto/hash";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { secretBytes } from "@/lib/oidc/config";
import { clientMetadataSchema, type ClientMetadataInput } from "@/lib/oidc/clients/client-metadata";
import { clientState } from "@/lib/oidc/clients/client-state";

export type ClientStatus = "pending" | "approved" | "suspended" | "rejected";

/**
 * Registers a client. Confidential clients that authenticate with a secret
 * get one here, returned once in plain text and kept only as its SHA-256.
 */
export async function createClient(
  tx: Tx,
  p: {
    metadata: ClientMetadataInput;
    hostOrgId: string | null;
    status: ClientStatus;
    actor: Actor;
    via: "portal" | "cli" | "dynamic";
  },
) {
  const m = await clientMetadataSchema.parseAsync(p.metadata);
  const usesSecret =
    m.tokenEndpointAuthMethod === "client_secret_basic" || m.tokenEndpointAuthMethod === "client_secret_post";
  const secret = usesSecret ? randomToken(secretBytes.clientSecret) : undefined;
  const client = await tx.oidcClient.create({
    data: {
      id: newId("ghc"),
      hostOrgId: p.hostOrgId,
      name: m.name,
      secretHash: secret ? sha256Hex(secret) : null,
      tokenEndpointAuthMethod: m.tokenEndpointAuthMethod,
      applicationType: m.applicationType,
      redirectUris: m.redirectUris,
      postLogoutRedirectUris: m.postLogoutRedirectUris,
      backchannelLogoutUri: m.backchannelLogoutUri ?? null,
      grantTypes: m.grantTypes,
      scopes: m.scopes,
      subjectType: m.subjectType,
      sectorIdentifier: m.sectorIdentifier ?? null,
      jwks: m.jwks ? (m.jwks as object) : undefined,
      jwksUri: m.jwksUri ?? null,
      idTokenSignedResponseAlg: m.idTokenSignedResponseAlg,
      requirePushedAuthorizationRequests: m.requirePushedAuthorizationRequests,
      requireSignedRequestObject: m.requireSignedRequestObject,
      dpopBoundAccessTokens: m.dpopBoundAccessTokens,
      status: p.status,
      createdById: p.actor.type === "user" ? p.actor.id : null,
      registeredVia: p.via,
    },
  });
  await appendAuditEvent(tx, {
    actor: p.actor,
    action: "oidc_client.registered",
    subject: { type: "oidc_client", id: client.id },
    state: clientState(client),
    data: { name: client.name, hostOrgId: client.hostOrgId, status: client.status, via: p.via },
  });
  return { client, secret };
}
