import "server-only";
import { db } from "@/lib/db/client";
import { licenseState } from "@/lib/licensing/license-state";
import { licensePlanView } from "@/lib/licensing/license-plan-view";

const include = {
  plan: { select: { id: true, name: true, priceMinor: true, currency: true, termDays: true } },
  certificates: {
    orderBy: { createdAt: "desc" as const },
    take: 1,
    select: { id: true, serialHex: true, status: true, notAfter: true, keyAlgorithm: true },
  },
};

async function shape(rows: Awaited<ReturnType<typeof findLicenses>>, now: Date) {
  const orgs = await db().organization.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.theaterOrgId))] } },
    select: { id: true, name: true, slug: true },
  });
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  return rows.map((l) => ({
    id: l.id,
    theater: orgById.get(l.theaterOrgId) ?? { id: l.theaterOrgId, name: l.theaterOrgId, slug: "" },
    plan: licensePlanView(l.plan),
    state: licenseState(l, now),
    statusReason: l.statusReason,
    entitlements: l.entitlements as Record<string, number>,
    validFrom: l.validFrom,
    validUntil: l.validUntil,
    currentCertificate: l.certificates[0] ?? null,
  }));
}

function findLicenses(where: { theaterOrgId?: { in: string[] } }) {
  return db().license.findMany({ where, include, orderBy: { createdAt: "desc" }, take: 500 });
}

/** The licenses of the theaters a user administers (the caller passes their org ids). */
export async function listTheaterLicenses(theaterOrgIds: string[], now = new Date()) {
  if (theaterOrgIds.length === 0) return [];
  return shape(await findLicenses({ theaterOrgId: { in: theaterOrgIds } }), now);
}

/** Every license, newest first, for org admins and finance. */
export async function listAllLicenses(now = new Date()) {
  return shape(await findLicenses({}), now);
}
