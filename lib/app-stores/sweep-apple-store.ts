import "server-only";
import { db } from "@/lib/db/client";
import { isAppError } from "@/lib/errors/app-error";
import { reconcileAppleSubscriptionStatus } from "@/lib/app-stores/reconcile-apple-subscription-status";
import { type AppleReconciliation, reconcileAppleTransactionHistory } from "@/lib/app-stores/reconcile-apple";
import {
  type AppleNotificationRecovery,
  recoverMissedAppleNotifications,
} from "@/lib/app-stores/recover-missed-apple-notifications";

/**
 * The periodic catch-up (hourly, on one instance; also `appstore apple sweep`):
 * the notifications Apple sent over the last `hours` are processed again
 * (those that never arrived act, the rest are duplicates), and every Apple
 * subscription Guildhall believes active past its paid end has its history
 * read, so a renewal or refund whose notification was lost is recorded, and its current status asked
 * (reconcileAppleSubscriptionStatus), so an expiry, billing retry or grace period whose notification was lost
 * becomes its state and the sweep stops asking. Fundings bought in the app and still running past their paid end
 * are asked about the same way.
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
  // Fundings bought in the app, still running past their paid end, are asked about the same way.
  const overdueFundings = await db().funding.findMany({
    where: { provider: "apple", status: { in: ["active", "past_due", "canceling"] }, paidThrough: { lt: now } },
    select: { providerSubscriptionId: true },
    take: 500,
  });
  for (const f of overdueFundings)
    if (f.providerSubscriptionId) overdue.push({ originalTransactionId: f.providerSubscriptionId });
  const histories: AppleReconciliation[] = [];
  const states: Record<string, string> = {};
  const statusRefused: { transactionId: string; reason: string }[] = [];
  for (const sub of overdue) {
    histories.push(await reconcileAppleTransactionHistory(sub.originalTransactionId));
    // Then where it stands now: renewed (its end moves on), expired, in billing retry or grace, or revoked.
    try {
      const status = await reconcileAppleSubscriptionStatus(sub.originalTransactionId);
      states[sub.originalTransactionId] = status.state ? `${status.state} (${status.applied})` : "unknown to Apple";
    } catch (e) {
      if (!isAppError(e) || e.statusCode >= 500) throw e;
      statusRefused.push({ transactionId: sub.originalTransactionId, reason: e.reason ?? e.code });
    }
  }
  return {
    notifications,
    subscriptionsChecked: overdue.length,
    recorded: histories.reduce((n, h) => n + h.recorded, 0),
    refunded: histories.reduce((n, h) => n + h.refunded, 0),
    states,
    refused: [...histories.flatMap((h) => h.refused), ...statusRefused],
  };
}
