import "server-only";
import { db } from "@/lib/db/client";

const listed = {
  id: true,
  name: true,
  hostOrgId: true,
  status: true,
  redirectUris: true,
  postLogoutRedirectUris: true,
  backchannelLogoutUri: true,
  grantTypes: true,
  scopes: true,
  subjectType: true,
  sectorIdentifier: true,
  tokenEndpointAuthMethod: true,
  jwksUri: true,
  requirePushedAuthorizationRequests: true,
  requireSignedRequestObject: true,
  dpopBoundAccessTokens: true,
  registeredVia: true,
  createdAt: true,
} as const;

/** A host's clients, newest first, without secrets. */
export async function listHostClients(hostOrgId: string) {
  return db().oidcClient.findMany({ where: { hostOrgId }, orderBy: { createdAt: "desc" }, select: listed });
}

/** Every client, pending ones first, with the host's name, for the admins' review page. */
export async function listClientsForReview() {
  const clients = await db().oidcClient.findMany({ orderBy: { createdAt: "desc" }, select: listed });
  const hosts = await db().organization.findMany({
    where: { id: { in: clients.flatMap((c) => (c.hostOrgId ? [c.hostOrgId] : [])) } },
    select: { id: true, name: true, slug: true },
  });
  const order = { pending: 0, approved: 1, suspended: 2, rejected: 3 } as Record<string, number>;
  return clients
    .map((c) => ({ ...c, host: hosts.find((h) => h.id === c.hostOrgId) ?? null }))
    .sort((x, y) => (order[x.status] ?? 9) - (order[y.status] ?? 9));
}
