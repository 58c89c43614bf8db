import "server-only";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { licensePlanView } from "@/lib/licensing/license-plan-view";
import { licensePlanInputSchema, type LicensePlanInput } from "@/lib/licensing/license-plan-input";

/** An org admin (or an operator at the CLI) offers a plan; the caller checks the role. */
export async function createLicensePlan({ actor, ...input }: { actor: Actor } & LicensePlanInput) {
  const plan = licensePlanInputSchema.parse(input);
  return db().$transaction(async (tx) => {
    const created = await tx.licensePlan.create({
      data: { id: newId("lpl"), ...plan, createdById: actor.id },
    });
    await appendAuditEvent(tx, {
      actor,
      action: "license_plan.created",
      subject: { type: "license_plan", id: created.id },
      state: plan,
      data: { name: plan.name, termDays: plan.termDays, priceMinor: plan.priceMinor, currency: plan.currency },
    });
    return licensePlanView(created);
  });
}
