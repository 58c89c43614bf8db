import "server-only";
import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { env } from "@/lib/config/env";
import { queueMail } from "@/lib/mail/queue-mail";
import { financeAlertEmail } from "@/emails/finance-alert";

export type FinanceAlertKind =
  | "reconciliation"
  | "connected_payout_failed"
  | "store_funding_currency"
  | "store_unmapped_product"
  | "store_purchase_not_recorded"
  | "store_funding_no_policy";

export type FinanceAlert = { key: string; kind: FinanceAlertKind; message: string };

/**
 * Tells finance about something no one asked to see (a reconciliation difference, a connected account's
 * failed payout, a store subscription's funding billed in another currency, a subscription changing to a product
 * not mapped), in the caller's transaction: one open alert per key, however often it is seen while open, mailed
 * to every FINANCE user and listed on the finance page until resolved. Seen again after finance resolved it, the
 * condition is back (or was never fixed), so it raises a new alert: resolving clears `openKey`, which alone is
 * unique. Answers whether it was new.
 */
export async function raiseFinanceAlert(tx: Tx, alert: FinanceAlert): Promise<boolean> {
  const inserted = await tx.financeAlert.createMany({
    data: [
      {
        id: newId("fal"),
        key: alert.key,
        openKey: alert.key,
        kind: alert.kind,
        message: alert.message.slice(0, 2000),
      },
    ],
    skipDuplicates: true,
  });
  if (inserted.count === 0) return false;
  const finance = await tx.userRole.findMany({
    where: { role: "FINANCE" },
    select: { user: { select: { email: true } } },
  });
  const email = financeAlertEmail({ ...alert, link: `${env().publicUrl}/finance#alerts` });
  for (const f of finance) await queueMail(tx, { to: f.user.email, template: "finance-alert", content: email });
  return true;
}
