import "server-only";
import { db } from "@/lib/db/client";
import type { FederationJwks } from "@/lib/governance/federation/host-declaration";

export type FederationMember = {
  hostOrgId: string;
  entityId: string;
  jwks: FederationJwks;
  redirectUris: string[];
  jurisdiction: string;
  provider: string;
  admittedAt: Date;
};

const memberFields = {
  hostOrgId: true,
  entityId: true,
  jwks: true,
  redirectUris: true,
  jurisdiction: true,
  provider: true,
  admittedAt: true,
} as const;

/** The admitted federation members (removed ones are not), by entity id. */
export async function listFederationMembers(): Promise<FederationMember[]> {
  const rows = await db().federationHost.findMany({
    where: { removedAt: null },
    select: memberFields,
    orderBy: { entityId: "asc" },
  });
  return rows.map((r) => ({ ...r, jwks: r.jwks as FederationJwks }));
}

/** Whether a host organization is an admitted federation member (it has voted keys to sign with). */
export async function isFederationMemberOrg(hostOrgId: string): Promise<boolean> {
  return (await db().federationHost.count({ where: { hostOrgId, removedAt: null } })) > 0;
}

/** One admitted member by its entity id; null when unknown or removed. */
export async function findFederationMember(entityId: string): Promise<FederationMember | null> {
  const row = await db().federationHost.findFirst({ where: { entityId, removedAt: null }, select: memberFields });
  return row ? { ...row, jwks: row.jwks as FederationJwks } : null;
}
