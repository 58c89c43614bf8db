import { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent, type AuditActor } from "@/lib/audit/append-audit-event";

const usageSchema = z.object({
  hostOrgId: z.string().min(1),
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  units: z.number().int().min(0).max(1_000_000_000),
});

/** A host's usage for a month (replacing an earlier report of the same month); weights the hosts' share under a "usage" policy. */
export async function reportHostUsage(input: z.input<typeof usageSchema>, actor: AuditActor) {
  const u = usageSchema.parse(input);
  return db().$transaction(async (tx) => {
    const org = await tx.organization.findUnique({ where: { id: u.hostOrgId }, select: { kind: true } });
    if (org?.kind !== "HOST")
      throw new AppError("NOT_FOUND", { userMessage: "No such host.", reason: "HOST_NOT_FOUND" });
    const row = await tx.hostUsageReport.upsert({
      where: { hostOrgId_period: { hostOrgId: u.hostOrgId, period: u.period } },
      create: u,
      update: { units: u.units, reportedAt: new Date() },
    });
    await appendAuditEvent(tx, {
      actor,
      action: "host_usage.reported",
      subject: { type: "organization", id: u.hostOrgId },
      state: u,
      data: { period: u.period, units: u.units },
    });
    return row;
  });
}
