import "server-only";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { raiseFinanceAlert } from "@/lib/finance-alerts/raise-finance-alert";
import { formatMoney } from "@/lib/money/format-money";
import { str, type WebhookHandler } from "@/lib/payments/webhook-handlers/types";

/**
 * A connected account's payout to its bank failed (`payout.failed` at the Connect endpoint): the money we
 * transferred is back on the payee's Stripe balance, not in their bank. Nothing in our ledger changes (the
 * transfer stands), but the audit log records it and finance is alerted, so someone asks the payee to fix
 * their bank details. Only an event naming the payee's own account, at its own provider, counts.
 */
export const connectedPayoutFailed: WebhookHandler = {
  async handle(tx, event) {
    if (!event.account) return { outcome: "ignored", note: "not a connected account's payout" };
    const payee = await tx.payeeAccount.findUnique({ where: { providerAccountId: event.account } });
    if (!payee || payee.provider !== event.provider) return { outcome: "ignored", note: "account of no payee" };
    const payoutId = str(event.object.id) ?? event.id;
    const amount = Number(event.object.amount ?? 0);
    const currency = String(event.object.currency ?? "").toUpperCase();
    const reason = String(event.object.failure_message ?? event.object.failure_code ?? "no reason given");
    await appendAuditEvent(tx, {
      actor: { type: "system", id: event.provider },
      action: "payee_account.payout_failed",
      subject: { type: "payee_account", id: payee.id },
      state: { payoutId, failureCode: str(event.object.failure_code) },
      data: { payoutId, amountMinor: amount, currency },
    });
    const who = payee.orgId ? `organization ${payee.orgId}` : "the developers' fund";
    const money = currency ? formatMoney(BigInt(Math.trunc(amount)), currency) : String(amount);
    await raiseFinanceAlert(tx, {
      key: `connected-payout-failed:${payoutId}`,
      kind: "connected_payout_failed",
      message: `The payout of ${money} from the connected account ${event.account} (${who}) to its bank failed: ${reason}. The money waits on that account until its bank details are fixed.`,
    });
    return { outcome: "handled" };
  },
};
