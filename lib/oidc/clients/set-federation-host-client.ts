import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { invalidateLocalCaches } from "@/lib/db/invalidation-feed";
import { HOST_API_SCOPES } from "@/lib/oidc/scopes";

/** The client id of a federation host's own credentials: one per host, named after it. */
export function federationHostClientId(hostOrgId: string): string {
  return `ghf_${hostOrgId}`;
}

/**
 * For governance, when a host is admitted with a federation declaration: the
 * host's machine credentials, a client-credentials client that authenticates
 * with private_key_jwt against exactly the keys the admission declared (no
 * secret exists), scoped to the host APIs. A re-admission replaces the keys
 * with the newly voted ones and approves it again; a removal suspends it
 * with the host's other clients (setHostClientsStatus), so its tokens stop
 * working at once.
 */
export async function setFederationHostClient(
  tx: Tx,
  { actor, ...p }: { actor: Actor } & { hostOrgId: string; entityId: string; jwks: object },
): Promise<string> {
  const id = federationHostClientId(p.hostOrgId);
  const facts = {
    name: `Federation credentials of ${p.entityId}`,
    tokenEndpointAuthMethod: "private_key_jwt",
    grantTypes: ["client_credentials"],
    scopes: [...HOST_API_SCOPES],
    jwks: p.jwks,
    jwksUri: null,
    status: "approved",
  };
  await tx.oidcClient.upsert({
    where: { id },
    create: {
      id,
      hostOrgId: p.hostOrgId,
      redirectUris: [],
      postLogoutRedirectUris: [],
      registeredVia: "federation",
      ...facts,
    },
    update: facts,
  });
  await appendAuditEvent(tx, {
    actor,
    action: "oidc_client.federation_credentials_set",
    subject: { type: "oidc_client", id },
    state: { id, hostOrgId: p.hostOrgId, ...facts },
    data: { hostOrgId: p.hostOrgId, entityId: p.entityId },
  });
  invalidateLocalCaches();
  return id;
}

/** Which host a client belongs to, for the host APIs; null for a client of no host. */
export async function findClientHost(clientId: string): Promise<string | null> {
  const c = await db().oidcClient.findUnique({ where: { id: clientId }, select: { hostOrgId: true } });
  return c?.hostOrgId ?? null;
}
