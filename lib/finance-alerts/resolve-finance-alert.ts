import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { auditActorOf, type UserActor } from "@/lib/access/actor";
import { assertPermitted } from "@/lib/access/permission";

/**
 * A finance user marks an alert looked after, with what was done; it leaves the list, and its key is free again,
 * so the same condition seen later raises a new alert (raiseFinanceAlert).
 */
export async function resolveFinanceAlert({ actor, ...input }: { actor: UserActor; alertId: string; reason: string }) {
  await db().$transaction(async (tx) => {
    await assertPermitted(tx, actor, { role: "FINANCE" }, { userMessage: "Finance only.", reason: "NOT_FINANCE" });
    const resolved = await tx.financeAlert.updateMany({
      where: { id: input.alertId, resolvedAt: null },
      data: { resolvedAt: new Date(), resolvedById: actor.id, openKey: null },
    });
    if (resolved.count === 0)
      throw new AppError("NOT_FOUND", { userMessage: "No such open alert.", reason: "ALERT_NOT_FOUND" });
    await appendAuditEvent(tx, {
      actor: auditActorOf(actor),
      action: "finance_alert.resolved",
      subject: { type: "finance_alert", id: input.alertId },
      state: { resolved: true },
      data: { reason: input.reason },
    });
  });
}
