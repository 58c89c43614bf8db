import "server-only";
import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";

/**
 * Records a theater's license of a plan as pending payment, in the caller's
 * transaction; a paid order naming it activates it. The caller has checked
 * who may buy it: a theater admin at the web checkout, or the theater admin
 * whose app account made a store purchase. A plan that is not on offer is
 * refused (NOT_FOUND, reason PLAN_NOT_FOUND).
 */
export async function createPendingLicense(
  tx: Tx,
  input: { theaterOrgId: string; planId: string; createdById: string; actor: Actor },
) {
  const plan = await tx.licensePlan.findUnique({ where: { id: input.planId } });
  if (!plan || plan.archivedAt)
    throw new AppError("NOT_FOUND", { reason: "PLAN_NOT_FOUND", userMessage: "That plan is not on offer." });
  const license = await tx.license.create({
    data: {
      id: newId("lic"),
      theaterOrgId: input.theaterOrgId,
      planId: plan.id,
      entitlements: plan.entitlements as object,
      termDays: plan.termDays,
      createdById: input.createdById,
    },
  });
  await appendAuditEvent(tx, {
    actor: input.actor,
    action: "license.created",
    subject: { type: "license", id: license.id },
    state: { status: license.status, planId: plan.id, theaterOrgId: input.theaterOrgId },
    data: { planId: plan.id, theaterOrgId: input.theaterOrgId },
  });
  return license;
}
