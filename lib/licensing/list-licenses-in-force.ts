import "server-only";
import { db } from "@/lib/db/client";
import { licenseState, type LicenseState } from "@/lib/licensing/license-state";

export type LicenseStanding = {
  licenseId: string;
  theaterOrgId: string;
  planName: string;
  validUntil: Date | null;
  state: LicenseState;
};

const fields = {
  id: true,
  theaterOrgId: true,
  status: true,
  validUntil: true,
  plan: { select: { name: true } },
} as const;

function standing(l: {
  id: string;
  theaterOrgId: string;
  status: Parameters<typeof licenseState>[0]["status"];
  validUntil: Date | null;
  plan: { name: string };
}): LicenseStanding {
  return {
    licenseId: l.id,
    theaterOrgId: l.theaterOrgId,
    planName: l.plan.name,
    validUntil: l.validUntil,
    state: licenseState(l),
  };
}

/** A license's standing now (active, expired, suspended, revoked...), for the licensed-theater trust mark. */
export async function getLicenseStanding(licenseId: string): Promise<LicenseStanding | null> {
  const l = await db().license.findUnique({ where: { id: licenseId }, select: fields });
  return l ? standing(l) : null;
}

/** Every license in force now: the theaters that may hold a licensed-theater trust mark. */
export async function listLicensesInForce(now = new Date()): Promise<LicenseStanding[]> {
  const rows = await db().license.findMany({
    where: { status: "ACTIVE", validUntil: { gt: now } },
    select: fields,
    orderBy: { createdAt: "asc" },
  });
  return rows.map(standing);
}
