import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { licensePlanView } from "@/lib/licensing/license-plan-view";

/** Stops offering a plan; licenses already bought on it are untouched. */
export async function archiveLicensePlan({ planId, actor }: { planId: string; actor: Actor }) {
  return db().$transaction(async (tx) => {
    const plan = await tx.licensePlan.findUnique({ where: { id: planId } });
    if (!plan) throw new AppError("NOT_FOUND", { reason: "PLAN_NOT_FOUND", userMessage: "No such plan." });
    if (plan.archivedAt) return licensePlanView(plan);
    const archived = await tx.licensePlan.update({ where: { id: planId }, data: { archivedAt: new Date() } });
    await appendAuditEvent(tx, {
      actor,
      action: "license_plan.archived",
      subject: { type: "license_plan", id: planId },
      state: { archivedAt: archived.archivedAt },
      data: { name: plan.name },
    });
    return licensePlanView(archived);
  });
}
