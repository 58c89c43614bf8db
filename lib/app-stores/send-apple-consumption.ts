import "server-only";
import { z } from "zod";
import { DeliveryStatus } from "@apple/app-store-server-library";
import { defineEffect } from "@/lib/outbox/define-effect";
import { appleApiClient } from "@/lib/app-stores/apple-api-client";

/**
 * Answers Apple's consumption request for a transaction a buyer asked Apple to
 * refund: the purchase was delivered (the order was paid and fulfilled when
 * it was recorded), and no sample was given. Sent only when the app's terms
 * asked the buyer's consent (APPLE_CONSUMPTION_CONSENT=1). An outbox effect,
 * enqueued with the notification, so the call to Apple happens after commit
 * and is retried until it succeeds.
 */
export const sendAppleConsumptionEffect = defineEffect({
  kind: "app-stores.apple-consumption",
  schema: z.object({ transactionId: z.string().min(1), orderId: z.string().min(1) }),
  async handle({ transactionId }) {
    await appleApiClient().sendConsumptionInformation(transactionId, {
      customerConsented: true,
      deliveryStatus: DeliveryStatus.DELIVERED,
      sampleContentProvided: false,
    });
  },
});
