import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { olderThan, pageOf } from "@/lib/db/newest-first-page";

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

export const clientStatuses = ["pending", "approved", "suspended", "rejected"] as const;

/** What the admins filter the client list by (all optional). */
export const clientFilterSchema = z.object({
  status: z.enum(clientStatuses).optional(),
  hostOrgId: z.string().max(100).optional(), // a host's id, or "operator" for the operator's own clients
  q: z.string().trim().max(100).optional(), // a client_id, or words of its name
  before: z.string().max(100).optional(), // the client_id of the last client on the previous page
});
export type ClientFilter = z.infer<typeof clientFilterSchema>;

/**
 * A page of every client, newest first, with its host's name, for the admins'
 * review page (the caller checks), filtered by status, host or words; the
 * next page starts after the last client shown.
 */
export async function listClientsPage(filter: ClientFilter = {}, limit = 50) {
  const f = clientFilterSchema.parse(filter);
  const cursor = f.before
    ? await db().oidcClient.findUnique({ where: { id: f.before }, select: { id: true, createdAt: true } })
    : null;
  const rows = await db().oidcClient.findMany({
    where: {
      AND: [
        f.status ? { status: f.status } : {},
        f.hostOrgId ? { hostOrgId: f.hostOrgId === "operator" ? null : f.hostOrgId } : {},
        f.q ? { OR: [{ id: f.q }, { name: { contains: f.q, mode: "insensitive" as const } }] } : {},
        olderThan(cursor),
      ],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: listed,
  });
  const page = pageOf(rows, limit);
  const hosts = await db().organization.findMany({
    where: { id: { in: page.rows.flatMap((c) => (c.hostOrgId ? [c.hostOrgId] : [])) } },
    select: { id: true, name: true, slug: true },
  });
  return {
    clients: page.rows.map((c) => ({ ...c, host: hosts.find((h) => h.id === c.hostOrgId) ?? null })),
    nextBefore: page.nextBefore,
  };
}

/** How many clients wait for an org admin's approval, said above the list whatever it is filtered by. */
export async function countPendingClients(): Promise<number> {
  return db().oidcClient.count({ where: { status: "pending" } });
}
