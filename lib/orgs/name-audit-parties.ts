import "server-only";
import { db } from "@/lib/db/client";

export type AuditParty = { type: string; id: string | null };

/**
 * Names for the people, organizations and applications an audit page shows,
 * keyed "type:id": a user by name and email, an organization and an OpenID
 * client by name, a license by its plan and theater. The page shows these
 * words and keeps the id in a tooltip and in its filter links; anything not
 * named here (orders, batches, proposals) keeps its prefixed id, which says
 * what it is and links to its own filter.
 */
export async function nameAuditParties(parties: AuditParty[]): Promise<Map<string, string>> {
  const ids = (types: string[]) => [
    ...new Set(parties.filter((p) => types.includes(p.type) && p.id).map((p) => p.id as string)),
  ];
  const [users, orgs, clients, licenses] = await Promise.all([
    db().user.findMany({ where: { id: { in: ids(["user"]) } }, select: { id: true, name: true, email: true } }),
    db().organization.findMany({ where: { id: { in: ids(["organization"]) } }, select: { id: true, name: true } }),
    db().oidcClient.findMany({
      where: { id: { in: ids(["client", "oidc_client"]) } },
      select: { id: true, name: true },
    }),
    db().license.findMany({
      where: { id: { in: ids(["license"]) } },
      select: { id: true, theaterOrgId: true, plan: { select: { name: true } } },
    }),
  ]);
  const theaters = await db().organization.findMany({
    where: { id: { in: [...new Set(licenses.map((l) => l.theaterOrgId))] } },
    select: { id: true, name: true },
  });
  const theaterName = new Map(theaters.map((t) => [t.id, t.name]));
  const names = new Map<string, string>();
  for (const u of users) names.set(`user:${u.id}`, u.name ? `${u.name} (${u.email})` : u.email);
  for (const o of orgs) names.set(`organization:${o.id}`, o.name);
  for (const c of clients) {
    names.set(`client:${c.id}`, `${c.name} (app)`);
    names.set(`oidc_client:${c.id}`, `${c.name} (app)`);
  }
  for (const l of licenses)
    names.set(`license:${l.id}`, `${l.plan.name} license of ${theaterName.get(l.theaterOrgId) ?? "a theater"}`);
  return names;
}
