import { appStoresFailureReasons } from "@/lib/app-stores/failure-reasons";
import { storeNotificationReceiptSchema, webhookOperation } from "@/app/api/webhooks/webhook-schemas";

export const googlePlayNotificationOperation = webhookOperation({
  path: "/api/webhooks/google-play",
  operationId: "receiveGooglePlayNotification",
  summary: "Google Play real-time developer notifications",
  description:
    "Pushed by a Pub/Sub push subscription with an OIDC token (Authorization). Pub/Sub retries unless answered 2xx; a push whose token does not verify, or that names what Guildhall does not sell, is a 4xx and changes nothing.",
  contentType: "application/json",
  response: storeNotificationReceiptSchema,
  reasons: [appStoresFailureReasons],
});
