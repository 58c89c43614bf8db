import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { auditActorOf, type Actor } from "@/lib/access/actor";
import { limits } from "@/lib/config/limits";
import { usagePeriodOf, usagePeriodShifted } from "@/lib/splits/usage-period";

const usageSchema = z.object({
  hostOrgId: z.string().min(1),
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month, YYYY-MM"),
  units: z.number().int().min(0).max(limits.hostUsage.maxUnitsPerPeriod),
});

/** The host's own signature over a report, checked by the caller (lib/federation), kept with it. */
export type UsageSignature = { jws: string; kid: string; signedAt: Date };

/**
 * A host's usage for a month (replacing an earlier report of the same month);
 * it weights the hosts' share of the sales of the following month under a
 * "usage" policy. Checks: the period is a closed month (not the running one,
 * not one to come), not older than the reporting window, and not before the
 * host was admitted; units are a whole number within bounds; the organization
 * is a host. Anything else is a 422 and changes nothing. A signed report is
 * kept with its signature and must be newer than the signed report it
 * replaces, so a captured older report replayed later changes nothing
 * (409 REPORT_REPLAYED); an unsigned report never replaces a signed one
 * (409 SIGNED_REPORT_EXISTS).
 */
export async function reportHostUsage({
  actor,
  now = new Date(),
  signed,
  ...input
}: z.input<typeof usageSchema> & {
  actor: Actor;
  /** The reporting time (tests move it); the period must have ended by then. */
  now?: Date;
  signed?: UsageSignature;
}) {
  const u = usageSchema.parse(input);
  if (u.period >= usagePeriodOf(now))
    throw new AppError("UNPROCESSABLE", {
      userMessage: `Usage can be reported only for a month that has ended (the last one is ${usagePeriodShifted(now, -1)}).`,
      reason: "PERIOD_NOT_CLOSED",
    });
  if (u.period < usagePeriodShifted(now, -limits.hostUsage.reportableMonths))
    throw new AppError("UNPROCESSABLE", {
      userMessage: `Usage can be reported for the last ${limits.hostUsage.reportableMonths} months only.`,
      reason: "PERIOD_TOO_OLD",
    });
  return db().$transaction(async (tx) => {
    const org = await tx.organization.findUnique({
      where: { id: u.hostOrgId },
      select: { kind: true, createdAt: true },
    });
    if (org?.kind !== "HOST")
      throw new AppError("NOT_FOUND", { userMessage: "No such host.", reason: "HOST_NOT_FOUND" });
    if (u.period < usagePeriodOf(org.createdAt))
      throw new AppError("UNPROCESSABLE", {
        userMessage: "Usage cannot be reported for a month before the host joined.",
        reason: "PERIOD_BEFORE_HOST",
      });
    await tx.$executeRaw`SELECT 1 FROM "HostUsageReport" WHERE "hostOrgId" = ${u.hostOrgId} AND "period" = ${u.period} FOR UPDATE`;
    const previous = await tx.hostUsageReport.findUnique({
      where: { hostOrgId_period: { hostOrgId: u.hostOrgId, period: u.period } },
      select: { signedAt: true },
    });
    // A figure the host signed is never replaced by one nobody signed.
    if (!signed && previous?.signedAt)
      throw new AppError("CONFLICT", {
        userMessage: "This month's usage was reported signed by the host; only a newer signed report replaces it.",
        reason: "SIGNED_REPORT_EXISTS",
      });
    if (signed && previous?.signedAt && previous.signedAt >= signed.signedAt)
      throw new AppError("CONFLICT", {
        userMessage: "A report of this month signed at the same time or later is already recorded.",
        reason: "REPORT_REPLAYED",
      });
    const signature = signed
      ? { signedReport: signed.jws, signedKid: signed.kid, signedAt: signed.signedAt }
      : { signedReport: null, signedKid: null, signedAt: null };
    const row = await tx.hostUsageReport.upsert({
      where: { hostOrgId_period: { hostOrgId: u.hostOrgId, period: u.period } },
      create: { ...u, ...signature },
      update: { units: u.units, reportedAt: new Date(), ...signature },
    });
    await appendAuditEvent(tx, {
      actor: auditActorOf(actor),
      action: "host_usage.reported",
      subject: { type: "organization", id: u.hostOrgId },
      state: { ...u, signedKid: signed?.kid ?? null, signedAt: signed?.signedAt ?? null },
      data: { period: u.period, units: u.units, signed: Boolean(signed) },
    });
    return row;
  });
}
