import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { type FinanceAlert, raiseFinanceAlert } from "@/lib/finance-alerts/raise-finance-alert";

/**
 * A refusal only finance can fix (a policy to approve), thrown from inside the transaction it rolls back.
 * The alert it carries cannot be raised in that transaction (it would roll back with everything else), so
 * alertFinanceOfRefusals raises it in its own once the transaction has failed.
 */
export class RefusalFinanceMustFix extends AppError {
  readonly financeAlert: FinanceAlert;

  /** The refusal as it was made (its code, reason and message kept), with the alert finance must see. */
  constructor(refusal: AppError, financeAlert: FinanceAlert) {
    super(refusal.code, { message: refusal.message, userMessage: refusal.userMessage, reason: refusal.reason });
    this.financeAlert = financeAlert;
  }
}

/**
 * Runs `work` (one that opens its own transaction); when it is refused by a RefusalFinanceMustFix, raises
 * the refusal's alert in a transaction of its own (once per key, as every alert) and throws the refusal on,
 * so the caller answers it as before and nothing the refused transaction did is kept.
 */
export async function alertFinanceOfRefusals<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof RefusalFinanceMustFix) await db().$transaction((tx) => raiseFinanceAlert(tx, e.financeAlert));
    throw e;
  }
}
