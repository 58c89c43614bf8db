import "server-only";
import { z } from "zod";

/**
 * A Pub/Sub push request (the JSON Pub/Sub posts) and, base64 inside its
 * message, Google Play's DeveloperNotification. Only the fields Guildhall
 * reads are named; others pass through.
 */
export const pushBodySchema = z.object({
  message: z.object({
    data: z.string().min(1).max(100_000),
    messageId: z.string().min(1).max(200),
    publishTime: z.string().optional(),
  }),
  subscription: z.string().min(1).max(500),
});

const token = z.string().min(1).max(2_000);

export const developerNotificationSchema = z.object({
  version: z.string(),
  packageName: z.string().min(1),
  eventTimeMillis: z.string().regex(/^\d{1,15}$/),
  oneTimeProductNotification: z
    .object({ notificationType: z.number().int(), purchaseToken: token, sku: z.string().min(1).max(200) })
    .optional(),
  subscriptionNotification: z.object({ notificationType: z.number().int(), purchaseToken: token }).optional(),
  voidedPurchaseNotification: z
    .object({
      purchaseToken: token,
      orderId: z.string().min(1).max(200),
      productType: z.number().int(),
      refundType: z.number().int(),
    })
    .optional(),
  testNotification: z.object({}).loose().optional(),
});

export type DeveloperNotification = z.infer<typeof developerNotificationSchema>;

/** OneTimeProductNotification.notificationType */
export const oneTimeTypes = { 1: "ONE_TIME_PRODUCT_PURCHASED", 2: "ONE_TIME_PRODUCT_CANCELED" } as const;

/** SubscriptionNotification.notificationType */
export const subscriptionTypes: Record<number, string> = {
  // Not Google's: a subscription read again by reconciliation.
  0: "SUBSCRIPTION_RECONCILED",
  1: "SUBSCRIPTION_RECOVERED",
  2: "SUBSCRIPTION_RENEWED",
  3: "SUBSCRIPTION_CANCELED",
  4: "SUBSCRIPTION_PURCHASED",
  5: "SUBSCRIPTION_ON_HOLD",
  6: "SUBSCRIPTION_IN_GRACE_PERIOD",
  7: "SUBSCRIPTION_RESTARTED",
  8: "SUBSCRIPTION_PRICE_CHANGE_CONFIRMED",
  9: "SUBSCRIPTION_DEFERRED",
  10: "SUBSCRIPTION_PAUSED",
  11: "SUBSCRIPTION_PAUSE_SCHEDULE_CHANGED",
  12: "SUBSCRIPTION_REVOKED",
  13: "SUBSCRIPTION_EXPIRED",
  17: "SUBSCRIPTION_ITEMS_CHANGED",
  18: "SUBSCRIPTION_CANCELLATION_SCHEDULED",
  19: "SUBSCRIPTION_PRICE_CHANGE_UPDATED",
  20: "SUBSCRIPTION_PENDING_PURCHASE_CANCELED",
  22: "SUBSCRIPTION_PRICE_STEP_UP_CONSENT_UPDATED",
};

/** VoidedPurchaseNotification.productType and refundType */
export const voidedProductType = { subscription: 1, oneTime: 2 } as const;
export const voidedRefundType = { full: 1, quantityPartial: 2 } as const;
