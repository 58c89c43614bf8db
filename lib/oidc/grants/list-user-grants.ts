import "server-only";
import { db } from "@/lib/db/client";

/** The apps a user has connected (live grants), with the client's name, for /account/apps. */
export async function listUserGrants(userId: string) {
  const grants = await db().oidcGrant.findMany({ where: { userId, revokedAt: null }, orderBy: { updatedAt: "desc" } });
  const clients = await db().oidcClient.findMany({
    where: { id: { in: grants.map((g) => g.clientId) } },
    select: { id: true, name: true, hostOrgId: true },
  });
  const hosts = await db().organization.findMany({
    where: { id: { in: clients.flatMap((c) => (c.hostOrgId ? [c.hostOrgId] : [])) } },
    select: { id: true, name: true },
  });
  return grants.map((g) => {
    const client = clients.find((c) => c.id === g.clientId);
    return {
      id: g.id,
      clientId: g.clientId,
      clientName: client?.name ?? g.clientId,
      hostName: hosts.find((h) => h.id === client?.hostOrgId)?.name ?? null,
      scopes: g.scopes,
      since: g.createdAt,
      updatedAt: g.updatedAt,
    };
  });
}
