import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { alertFinanceOfRefusals } from "@/lib/finance-alerts/alert-on-refusal";
import { type NotificationOutcome, type StoreName, storeTransactionOptions } from "@/lib/app-stores/store-transaction";

/**
 * Acts on a store's notification at most once: its id is inserted under PaymentEvent's unique key in the
 * transaction that acts, so a replay, or the same notification delivered to two instances at once, acts once
 * (a duplicate is answered as such); the outcome is recorded on that row. A refusal rolls all of it back, and
 * finance is alerted of the refusals that need them (alertFinanceOfRefusals).
 */
export function actOnStoreNotificationOnce(
  notification: { store: StoreName; id: string; type: string },
  act: (tx: Tx) => Promise<NotificationOutcome>,
): Promise<NotificationOutcome & { duplicate: boolean }> {
  const { store, id, type } = notification;
  return alertFinanceOfRefusals(() =>
    db().$transaction(async (tx) => {
      const inserted = await tx.$executeRaw`
      INSERT INTO "PaymentEvent" ("provider", "eventId", "type", "outcome")
      VALUES (${store}, ${id}, ${type}, 'pending') ON CONFLICT DO NOTHING`;
      if (inserted === 0) return { duplicate: true, outcome: "ignored" as const, note: "duplicate" };
      const outcome = await act(tx);
      await tx.paymentEvent.update({
        where: { provider_eventId: { provider: store, eventId: id } },
        data: { outcome: outcome.outcome, note: outcome.note?.slice(0, 500) ?? null },
      });
      return { duplicate: false, ...outcome };
    }, storeTransactionOptions),
  );
}
