import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";

/**
 * Moves a license to another plan, as a store subscription's upgrade, downgrade or crossgrade does when the
 * store bills the new product: the plan's entitlements and term are copied onto the license (editing a plan
 * never changes what a theater holds; changing plans does). Called in the transaction that records the new
 * product's paid transaction, before that order extends the license, so the certificates the extension
 * re-issues carry the new entitlements. Nothing happens when the license already has the plan.
 */
export async function changeLicensePlan(
  tx: Tx,
  input: { licenseId: string; planId: string; reason: string; actor: Actor },
): Promise<{ changed: boolean }> {
  const [license] = await tx.$queryRaw<{ planId: string }[]>`
    SELECT "planId" FROM "License" WHERE "id" = ${input.licenseId} FOR UPDATE`;
  if (!license) throw new AppError("NOT_FOUND", { reason: "LICENSE_NOT_FOUND", userMessage: "No such license." });
  if (license.planId === input.planId) return { changed: false };
  const plan = await tx.licensePlan.findUnique({ where: { id: input.planId } });
  if (!plan) throw new AppError("NOT_FOUND", { reason: "PLAN_NOT_FOUND", userMessage: "No such plan." });
  await tx.license.update({
    where: { id: input.licenseId },
    data: { planId: plan.id, entitlements: plan.entitlements ?? {}, termDays: plan.termDays },
  });
  await appendAuditEvent(tx, {
    actor: input.actor,
    action: "license.plan_changed",
    subject: { type: "license", id: input.licenseId },
    state: { planId: plan.id, entitlements: plan.entitlements, termDays: plan.termDays },
    data: { from: license.planId, to: plan.id, reason: input.reason },
  });
  return { changed: true };
}
