import "server-only";
import type { Tx } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { invalidateLocalCaches } from "@/lib/db/invalidation-feed";
import { clientState } from "@/lib/oidc/clients/client-state";
import { AUTOMATIC_REGISTRATION } from "@/lib/oidc/clients/client-registrars";

export type AutomaticClientFacts = {
  /** The relying party's entity identifier, which is its client id. */
  clientId: string;
  hostOrgId: string;
  name: string;
  redirectUris: string[];
  grantTypes: string[];
  scopes: string[];
  /** The keys it authenticates with (request objects, private_key_jwt): the ones its admission declared. */
  jwks: object;
  backchannelLogoutUri: string | null;
  postLogoutRedirectUris: string[];
};

/**
 * Stores the client an automatic registration resolved (OpenID Federation
 * 1.0 §12.1): keys only (private_key_jwt, no secret exists), signed request
 * objects required, approved because the trust chain vouches for it. A
 * later resolution replaces the facts; the audit chain records a
 * registration and every change, not each unchanged refresh.
 */
export async function setAutomaticClient(tx: Tx, { actor, ...facts }: { actor: Actor } & AutomaticClientFacts) {
  const data = {
    hostOrgId: facts.hostOrgId,
    name: facts.name,
    tokenEndpointAuthMethod: "private_key_jwt",
    redirectUris: facts.redirectUris,
    postLogoutRedirectUris: facts.postLogoutRedirectUris,
    backchannelLogoutUri: facts.backchannelLogoutUri,
    grantTypes: facts.grantTypes,
    scopes: facts.scopes,
    jwks: facts.jwks,
    jwksUri: null,
    secretHash: null,
    requireSignedRequestObject: true,
    status: "approved",
    registeredVia: AUTOMATIC_REGISTRATION,
  };
  const before = await tx.oidcClient.findUnique({ where: { id: facts.clientId } });
  const client = await tx.oidcClient.upsert({
    where: { id: facts.clientId },
    create: { id: facts.clientId, ...data },
    update: data,
  });
  const changed = !before || JSON.stringify(clientState(before)) !== JSON.stringify(clientState(client));
  if (changed) {
    await appendAuditEvent(tx, {
      actor,
      action: before ? "oidc_client.automatic_registration_updated" : "oidc_client.registered",
      subject: { type: "oidc_client", id: client.id },
      state: clientState(client),
      data: { name: client.name, hostOrgId: client.hostOrgId, status: client.status, via: AUTOMATIC_REGISTRATION },
    });
    invalidateLocalCaches();
  }
  return client;
}
