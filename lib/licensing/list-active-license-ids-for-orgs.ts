import "server-only";
import { db } from "@/lib/db/client";

/**
 * The ids of the licenses in force (active and not past their end) of some
 * theaters, for the OIDC claim that tells a host which licenses a user's
 * theaters hold.
 */
export async function listActiveLicenseIdsForOrgs(orgIds: string[], now = new Date()): Promise<string[]> {
  if (orgIds.length === 0) return [];
  const rows = await db().license.findMany({
    where: { theaterOrgId: { in: orgIds }, status: "ACTIVE", validUntil: { gt: now } },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => r.id);
}
