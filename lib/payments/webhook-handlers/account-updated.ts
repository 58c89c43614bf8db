import "server-only";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { str, type WebhookHandler } from "@/lib/payments/webhook-handlers/types";

/** A connected account finished (or lost) onboarding: payouts to it can go out when it can receive them. */
export const accountUpdated: WebhookHandler = {
  async handle(tx, event) {
    const accountId = str(event.object.id);
    // Through the Connect endpoint, an account speaks only for itself.
    if (event.account && event.account !== accountId) return { outcome: "ignored", note: "event of another account" };
    const payee = accountId ? await tx.payeeAccount.findUnique({ where: { providerAccountId: accountId } }) : null;
    if (!payee) return { outcome: "ignored", note: "account of no payee" };
    const status = event.object.payouts_enabled === true ? "complete" : "pending";
    if (payee.onboardingStatus === status) return { outcome: "ignored", note: "no change" };
    await tx.payeeAccount.update({ where: { id: payee.id }, data: { onboardingStatus: status } });
    await appendAuditEvent(tx, {
      actor: { type: "system", id: event.provider },
      action: "payee_account.updated",
      subject: { type: "payee_account", id: payee.id },
      state: { onboardingStatus: status },
      data: { onboardingStatus: status },
    });
    return { outcome: "handled" };
  },
};
