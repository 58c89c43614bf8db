import "server-only";
import { db } from "@/lib/db/client";
import {
  type AppleNotificationRecovery,
  type AppleReconciliation,
  reconcileAppleTransactionHistory,
  recoverMissedAppleNotifications,
} from "@/lib/app-stores/reconcile-apple";

/**
 * The periodic catch-up (hourly, on one instance; also `appstore apple sweep`):
 * the notifications Apple sent over the last `hours` are processed again
 * (those that never arrived act, the rest are duplicates), and every Apple
 * subscription Guildhall believes active past its paid end has its history
 * read, so a renewal or refund whose notification was lost is recorded.
 */
export async function sweepAppleStore(input: { hours: number; now?: Date }) {
  const now = input.now ?? new Date();
  const notifications: AppleNotificationRecovery = await recoverMissedAppleNotifications({
    from: new Date(now.getTime() - input.hours * 3_600_000),
    to: now,
  });
  const overdue = await db().storeSubscription.findMany({
    where: { store: "apple", state: { in: ["active", "grace_period", "billing_retry"] }, expiresAt: { lt: now } },
    select: { originalTransactionId: true },
    take: 500,
  });
  const histories: AppleReconciliation[] = [];
  for (const sub of overdue) histories.push(await reconcileAppleTransactionHistory(sub.originalTransactionId));
  return {
    notifications,
    subscriptionsChecked: overdue.length,
    recorded: histories.reduce((n, h) => n + h.recorded, 0),
    refunded: histories.reduce((n, h) => n + h.refunded, 0),
    refused: histories.flatMap((h) => h.refused),
  };
}
