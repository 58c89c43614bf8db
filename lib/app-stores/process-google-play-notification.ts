import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { log } from "@/lib/log";
import { googlePlayConfigOrThrow } from "@/lib/app-stores/google-play-config";
import { verifyGooglePushToken } from "@/lib/app-stores/verify-google-push-token";
import { googlePlayApi } from "@/lib/app-stores/google-play-api";
import { developerNotificationSchema, pushBodySchema } from "@/lib/app-stores/google-play-notification";
import { readGooglePlayPurchase } from "@/lib/app-stores/read-google-play-purchase";
import { actOnGooglePlayNotification } from "@/lib/app-stores/act-on-google-play-notification";
import type { NotificationOutcome } from "@/lib/app-stores/act-on-apple-notification";
import { actOnStoreNotificationOnce } from "@/lib/app-stores/act-on-store-notification-once";

const malformed = (userMessage: string) =>
  new AppError("BAD_REQUEST", { reason: "MALFORMED_NOTIFICATION", userMessage });

export type GooglePlayNotificationResult = NotificationOutcome & { duplicate: boolean; messageId: string };

/**
 * A Google Play real-time developer notification, pushed by Pub/Sub, at most
 * once. The push's OIDC token is verified first (401 BAD_PUSH_TOKEN), then the
 * message is read (400 MALFORMED_NOTIFICATION, WRONG_APP for another package),
 * then the purchase it names is read from the Play Developer API, outside any
 * transaction. The Pub/Sub message id is inserted under its unique key in the
 * transaction that acts, so a redelivery, or the same message pushed to two
 * instances at once, acts once. An expected refusal (an unknown product, a
 * license bought by someone who cannot act for the theater) rolls everything
 * back and is answered with its 4xx; Pub/Sub retries a push that is not
 * answered 2xx, so a refusal whose cause is fixed is still recorded.
 */
export async function processGooglePlayNotification(input: {
  authorization: string | null;
  body: unknown;
}): Promise<GooglePlayNotificationResult> {
  const config = googlePlayConfigOrThrow();
  await verifyGooglePushToken(input.authorization, config.push);
  const push = pushBodySchema.safeParse(input.body);
  if (!push.success) throw malformed("The body must be a Pub/Sub push request with a message.");
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(push.data.message.data, "base64").toString("utf8"));
  } catch {
    throw malformed("The message's data is not base64 of JSON.");
  }
  const parsed = developerNotificationSchema.safeParse(decoded);
  if (!parsed.success) throw malformed("The message is not a Google Play developer notification.");
  if (parsed.data.packageName !== config.packageName)
    throw new AppError("BAD_REQUEST", { reason: "WRONG_APP", userMessage: "The notification is for another app." });
  const messageId = push.data.message.messageId;
  const read = await readGooglePlayPurchase(googlePlayApi(config), config, parsed.data);
  const result = await actOnStoreNotificationOnce({ store: "google", id: messageId, type: read.type }, (tx) =>
    actOnGooglePlayNotification(tx, read, config),
  );
  log.info({ messageId, type: read.type, outcome: result.outcome, note: result.note }, "google play notification");
  return { ...result, messageId };
}
