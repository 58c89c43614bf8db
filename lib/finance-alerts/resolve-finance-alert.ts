import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";

/** A finance user marks an alert looked after, with what was done; it leaves the list. */
export async function resolveFinanceAlert(input: { alertId: string; reason: string }, userId: string) {
  await db().$transaction(async (tx) => {
    const finance = await tx.userRole.findFirst({ where: { userId, role: "FINANCE" }, select: { userId: true } });
    if (!finance) throw new AppError("FORBIDDEN", { userMessage: "Finance only.", reason: "NOT_FINANCE" });
    const resolved = await tx.financeAlert.updateMany({
      where: { id: input.alertId, resolvedAt: null },
      data: { resolvedAt: new Date(), resolvedById: userId },
    });
    if (resolved.count === 0)
      throw new AppError("NOT_FOUND", { userMessage: "No such open alert.", reason: "ALERT_NOT_FOUND" });
    await appendAuditEvent(tx, {
      actor: { type: "user", id: userId },
      action: "finance_alert.resolved",
      subject: { type: "finance_alert", id: input.alertId },
      state: { resolved: true },
      data: { reason: input.reason },
    });
  });
}
