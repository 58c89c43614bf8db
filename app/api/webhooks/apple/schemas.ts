import { appStoresFailureReasons } from "@/lib/app-stores/failure-reasons";
import { storeNotificationReceiptSchema, webhookOperation } from "@/app/api/webhooks/webhook-schemas";

export const appleNotificationOperation = webhookOperation({
  path: "/api/webhooks/apple",
  operationId: "receiveAppStoreNotification",
  summary: "App Store Server Notifications V2",
  description:
    'Apple posts `{ "signedPayload": ... }` and retries unless answered 2xx; a payload that does not verify, or names what Guildhall does not sell, is a 4xx and changes nothing.',
  contentType: "application/json",
  response: storeNotificationReceiptSchema,
  reasons: [appStoresFailureReasons],
});
