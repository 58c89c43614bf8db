import "server-only";
import { isAppError } from "@/lib/errors/app-error";
import { appleApiClient } from "@/lib/app-stores/apple-api-client";
import { processAppleNotification } from "@/lib/app-stores/process-apple-notification";
import { limits } from "@/lib/config/limits";

export type AppleNotificationRecovery = { seen: number; processed: number; duplicates: number; refused: string[] };

/**
 * Asks Apple for the notifications it sent in a window (Get Notification
 * History) and processes each as the webhook would: the ones that never
 * reached us act now, the others are duplicates by their UUID.
 */
export async function recoverMissedAppleNotifications(window: { from: Date; to: Date }) {
  const client = appleApiClient();
  const report: AppleNotificationRecovery = { seen: 0, processed: 0, duplicates: 0, refused: [] };
  let token: string | null = null;
  for (let page = 0; page < limits.appStores.appleMaxPages; page++) {
    const history = await client.getNotificationHistory(token, {
      startDate: window.from.getTime(),
      endDate: window.to.getTime(),
    });
    for (const item of history.notificationHistory ?? []) {
      if (!item.signedPayload) continue;
      report.seen += 1;
      try {
        const r = await processAppleNotification({ signedPayload: item.signedPayload });
        if (r.duplicate) report.duplicates += 1;
        else report.processed += 1;
      } catch (e) {
        if (!isAppError(e) || e.statusCode >= 500) throw e;
        report.refused.push(e.reason ?? e.code);
      }
    }
    token = history.paginationToken ?? null;
    if (!history.hasMore || !token) break;
  }
  return report;
}
