import "server-only";
import { z } from "zod";
import { db, type Prisma } from "@/lib/db/client";
import { createdOnDays, olderThan, pageOf } from "@/lib/db/newest-first-page";
import { licenseState, type LicenseState } from "@/lib/licensing/license-state";
import { licensePlanView } from "@/lib/licensing/license-plan-view";

const include = {
  plan: { select: { id: true, name: true, priceMinor: true, currency: true, termDays: true } },
  certificates: {
    orderBy: { createdAt: "desc" as const },
    take: 1,
    select: { id: true, serialHex: true, status: true, notAfter: true, keyAlgorithm: true, createdAt: true },
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
    createdAt: l.createdAt,
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

export const licenseStates = [
  "active",
  "expired",
  "pending_payment",
  "suspended",
  "revoked",
] as const satisfies readonly LicenseState[];

/** What org admins and finance filter the license list by (all optional; dates are UTC days, both inclusive). */
export const licenseFilterSchema = z.object({
  state: z.enum(licenseStates).optional(),
  theaterOrgId: z.string().max(100).optional(),
  from: z.iso.date().optional(), // made on or after this day
  to: z.iso.date().optional(), // made on or before this day
  before: z.string().max(100).optional(), // the id of the last license on the previous page
});
export type LicenseFilter = z.infer<typeof licenseFilterSchema>;

/** A state as people see it, as a query: "expired" and "active" are both stored ACTIVE, told apart by the end date. */
function whereState(state: LicenseState, now: Date): Prisma.LicenseWhereInput {
  switch (state) {
    case "active":
      return { status: "ACTIVE", OR: [{ validUntil: null }, { validUntil: { gt: now } }] };
    case "expired":
      return { status: "ACTIVE", validUntil: { lte: now } };
    case "pending_payment":
      return { status: "PENDING_PAYMENT" };
    case "suspended":
      return { status: "SUSPENDED" };
    case "revoked":
      return { status: "REVOKED" };
  }
}

/**
 * A page of every theater's licenses, newest first, for org admins and
 * finance (the caller checks), filtered by state, theater and the days they
 * were made; the next page starts after the last license shown.
 */
export async function listLicensesPage(filter: LicenseFilter = {}, limit = 50, now = new Date()) {
  const f = licenseFilterSchema.parse(filter);
  const cursor = f.before
    ? await db().license.findUnique({ where: { id: f.before }, select: { id: true, createdAt: true } })
    : null;
  const rows = await db().license.findMany({
    where: {
      AND: [
        f.state ? whereState(f.state, now) : {},
        f.theaterOrgId ? { theaterOrgId: f.theaterOrgId } : {},
        createdOnDays(f.from, f.to),
        olderThan(cursor),
      ],
    },
    include,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = pageOf(rows, limit);
  return { licenses: await shape(page.rows, now), nextBefore: page.nextBefore };
}
