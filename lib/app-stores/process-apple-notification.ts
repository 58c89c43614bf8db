import "server-only";
import { z } from "zod";
import { actOnStoreNotificationOnce } from "@/lib/app-stores/act-on-store-notification-once";
import { AppError } from "@/lib/errors/app-error";
import { log } from "@/lib/log";
import { appleConfigOrThrow, verifyAppleNotification } from "@/lib/app-stores/apple-verifier";
import { actOnAppleNotification, type NotificationOutcome } from "@/lib/app-stores/act-on-apple-notification";

const bodySchema = z.object({ signedPayload: z.string().min(1).max(200_000) });

export type AppleNotificationResult = NotificationOutcome & { duplicate: boolean; notificationId: string };

/**
 * An App Store Server Notification V2 (`{ "signedPayload": ... }`), at most
 * once. Verified first (Apple's library; a bad signature, another app or
 * environment: 400, nothing recorded). The notification's UUID is inserted
 * under its unique key in the transaction that acts, so a replay, or the same
 * notification delivered to two instances at once, acts once. An expected
 * refusal (an unknown product, a license bought by someone who cannot act
 * for the theater) rolls everything back and is answered with its 4xx, so
 * nothing changes and Apple's retries, or reconciliation once the cause is
 * fixed, can still record it.
 */
export async function processAppleNotification(body: unknown): Promise<AppleNotificationResult> {
  const config = appleConfigOrThrow();
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success)
    throw new AppError("BAD_REQUEST", {
      reason: "MALFORMED_NOTIFICATION",
      userMessage: "The body must be a JSON object with a signedPayload string.",
    });
  const verified = await verifyAppleNotification(parsed.data.signedPayload);
  const notificationId = verified.notification.notificationUUID;
  const type = String(verified.notification.notificationType ?? "");
  if (!notificationId)
    throw new AppError("BAD_REQUEST", {
      reason: "MALFORMED_NOTIFICATION",
      userMessage: "The notification has no UUID.",
    });
  const result = await actOnStoreNotificationOnce({ store: "apple", id: notificationId, type }, (tx) =>
    actOnAppleNotification(tx, verified, config),
  );
  log.info({ notificationId, type, outcome: result.outcome, note: result.note }, "app store notification");
  return { ...result, notificationId };
}
