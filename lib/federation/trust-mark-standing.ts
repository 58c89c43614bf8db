import "server-only";
import { invalidatedCache } from "@/lib/db/invalidated-cache";
import { findFederationMember, type FederationMember } from "@/lib/governance/federation/read-federation-hosts";
import { getLicenseStanding, type LicenseStanding } from "@/lib/licensing/list-licenses-in-force";

/**
 * What the trust mark status endpoint reads, cached per process: hosts ask
 * before every theater they accept, and a database read per request held
 * the endpoint at a hundredth of discovery's rate. The invalidation feed
 * keeps it honest (migration 20261206114000_trust_mark_standing_invalidation:
 * a host's admission or removal, a license's status or end, changed anywhere,
 * drops every process's entries); while the feed is dark nothing is cached
 * and every call reads the database. "Not a member" and "no such license" are
 * cached too, since an admission or activation notifies as well.
 */
const members = invalidatedCache<FederationMember | null>({ ttlMs: 10_000, maxEntries: 10_000 });
const licenses = invalidatedCache<LicenseStanding | null>({ ttlMs: 10_000, maxEntries: 10_000 });

/** An admitted host by its entity id; null when unknown or removed. */
export async function admittedMember(entityId: string): Promise<FederationMember | null> {
  return (await members.get(entityId, () => findFederationMember(entityId))) ?? null;
}

/** A license's standing now: an active entry is checked against its end again, as it may be cached past it. */
export async function currentLicenseStanding(licenseId: string): Promise<LicenseStanding | null> {
  const standing = (await licenses.get(licenseId, () => getLicenseStanding(licenseId))) ?? null;
  if (standing?.state === "active" && standing.validUntil && standing.validUntil <= new Date())
    return { ...standing, state: "expired" };
  return standing;
}
