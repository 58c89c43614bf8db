import { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent, type AuditActor } from "@/lib/audit/append-audit-event";

const usageSchema = z.object({
  hostOrgId: z.string().min(1),
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  units: z.number().int().min(0).max(1_000_000_000),
});

/** The host's own signature over a report, checked by the caller (lib/federation), kept with it. */
export type UsageSignature = { jws: string; kid: string; signedAt: Date };

/**
 * A host's usage for a month (replacing an earlier report of the same month);
 * weights the hosts' share under a "usage" policy. A signed report is kept
 * with its signature, and must be newer than the signed report it replaces,
 * so a captured older report replayed later changes nothing (REPORT_REPLAYED).
 */
export async function reportHostUsage(input: z.input<typeof usageSchema>, actor: AuditActor, signed?: UsageSignature) {
  const u = usageSchema.parse(input);
  return db().$transaction(async (tx) => {
    const org = await tx.organization.findUnique({ where: { id: u.hostOrgId }, select: { kind: true } });
    if (org?.kind !== "HOST")
      throw new AppError("NOT_FOUND", { userMessage: "No such host.", reason: "HOST_NOT_FOUND" });
    await tx.$executeRaw`SELECT 1 FROM "HostUsageReport" WHERE "hostOrgId" = ${u.hostOrgId} AND "period" = ${u.period} FOR UPDATE`;
    const previous = await tx.hostUsageReport.findUnique({
      where: { hostOrgId_period: { hostOrgId: u.hostOrgId, period: u.period } },
      select: { signedAt: true },
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
      actor,
      action: "host_usage.reported",
      subject: { type: "organization", id: u.hostOrgId },
      state: { ...u, signedKid: signed?.kid ?? null, signedAt: signed?.signedAt ?? null },
      data: { period: u.period, units: u.units, signed: Boolean(signed) },
    });
    return row;
  });
}
