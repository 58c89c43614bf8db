import "server-only";
import { db } from "@/lib/db/client";
import { alertFinanceOfRefusals } from "@/lib/finance-alerts/alert-on-refusal";
import { isAppError } from "@/lib/errors/app-error";
import { googlePlayConfigOrThrow } from "@/lib/app-stores/google-play-config";
import { googlePlayApi } from "@/lib/app-stores/google-play-api";
import {
  type GooglePlayPurchaseState,
  readGooglePlayPurchase,
  readVoidedPurchase,
} from "@/lib/app-stores/read-google-play-purchase";
import { actOnGooglePlayNotification } from "@/lib/app-stores/act-on-google-play-notification";
import { storeTransactionOptions } from "@/lib/app-stores/store-transaction";
import { voidedRefundType } from "@/lib/app-stores/google-play-notification";
import { limits } from "@/lib/config/limits";

/** Google lists voided purchases of the last 30 days at most. */
export const maxVoidedDays = 30;

export type GooglePlaySweep = {
  voidedSeen: number;
  refunded: number;
  subscriptionsChecked: number;
  /** Purchases and renewals recorded that Guildhall lacked. */
  recorded: number;
  refused: string[];
};

/**
 * The periodic catch-up for Google Play (hourly, on one instance; also
 * `appstore google sweep`). Refunds and chargebacks whose notification never
 * arrived: purchases.voidedpurchases.list over the last `days` (quantity-based
 * partial refunds included), each acted on as its notification would be
 * (the purchase recorded first if it was missed too; a refund already
 * recorded is not recorded again). Then every Google subscription Guildhall
 * believes running past its paid end is read again
 * (reconcileGoogleSubscription), so a renewal, an expiry or a hold whose
 * notification was lost is recorded; so is every funding bought in the app that is still running past its
 * paid end. Each item in its own transaction; a
 * refused one is reported and the rest go on.
 */
export async function sweepGooglePlay(input: { days: number; now?: Date }): Promise<GooglePlaySweep> {
  const config = googlePlayConfigOrThrow();
  const api = googlePlayApi(config);
  const now = input.now ?? new Date();
  const report: GooglePlaySweep = { voidedSeen: 0, refunded: 0, subscriptionsChecked: 0, recorded: 0, refused: [] };
  const startTime = now.getTime() - Math.min(input.days, maxVoidedDays) * 86_400_000;
  let pageToken: string | undefined;
  for (let page = 0; page < limits.appStores.googleMaxPages; page++) {
    const list = await api.listVoided({ startTime, endTime: now.getTime(), pageToken });
    for (const v of list.voidedPurchases ?? []) {
      report.voidedSeen += 1;
      if (!v.purchaseToken || !v.orderId) continue;
      const outcome = await actSafely(report, v.orderId, async () =>
        readVoidedPurchase(api, config, {
          purchaseToken: v.purchaseToken as string,
          orderId: v.orderId as string,
          refundType: v.voidedQuantity ? voidedRefundType.quantityPartial : voidedRefundType.full,
          at: new Date(Number(v.voidedTimeMillis ?? now.getTime())),
        }),
      );
      if (outcome.outcome === "handled") report.refunded += 1;
      if (outcome.orderRecorded) report.recorded += 1;
    }
    pageToken = list.tokenPagination?.nextPageToken ?? undefined;
    if (!pageToken) break;
  }
  const overdue = await db().storeSubscription.findMany({
    where: {
      store: "google",
      state: { in: ["active", "grace_period", "canceled", "on_hold", "paused"] },
      expiresAt: { lt: now },
    },
    select: { originalTransactionId: true },
    take: 500,
  });
  // Fundings bought in the app follow their subscription the same way (their own rows, not a license's).
  const overdueFundings = await db().funding.findMany({
    where: {
      provider: "google",
      status: { in: ["active", "past_due", "canceling", "paused"] },
      paidThrough: { lt: now },
    },
    select: { providerSubscriptionId: true },
    take: 500,
  });
  const tokens = [
    ...overdue.map((s) => s.originalTransactionId),
    ...overdueFundings.flatMap((f) => (f.providerSubscriptionId ? [f.providerSubscriptionId] : [])),
  ];
  for (const token of tokens) {
    report.subscriptionsChecked += 1;
    await reconcileGoogleSubscription(token, now, report);
  }
  return report;
}

/**
 * Reads one subscription (by its purchase token) from the API now and records
 * what it says, as a notification at `now` would: its latest paid order and
 * its state. Also `appstore google reconcile --token`.
 */
export async function reconcileGoogleSubscription(
  token: string,
  now = new Date(),
  report: GooglePlaySweep = { voidedSeen: 0, refunded: 0, subscriptionsChecked: 0, recorded: 0, refused: [] },
) {
  const config = googlePlayConfigOrThrow();
  const outcome = await actSafely(report, token, () =>
    readGooglePlayPurchase(googlePlayApi(config), config, {
      version: "1.0",
      packageName: config.packageName,
      eventTimeMillis: String(now.getTime()),
      subscriptionNotification: { notificationType: 0, purchaseToken: token },
    }),
  );
  if (outcome.orderRecorded) report.recorded += 1;
  return { ...report, outcome: outcome.outcome, note: outcome.note };
}

async function actSafely(report: GooglePlaySweep, what: string, read: () => Promise<GooglePlayPurchaseState>) {
  const config = googlePlayConfigOrThrow();
  try {
    const state = await read();
    const outcome = await alertFinanceOfRefusals(() =>
      db().$transaction((tx) => actOnGooglePlayNotification(tx, state, config), storeTransactionOptions),
    );
    return outcome;
  } catch (e) {
    if (!isAppError(e) || e.statusCode >= 500) throw e;
    report.refused.push(`${what}: ${e.reason ?? e.code}`);
    return { outcome: "refused" as const, note: e.reason, orderRecorded: false };
  }
}
