import "server-only";
import { z } from "zod";
import { defineEffect } from "@/lib/outbox/define-effect";

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
    // Apple's library is imported when a request is answered: the composition root lists this effect, and the
    // library costs a quarter second of CPU to load in each process that never talks to Apple.
    const [{ DeliveryStatus }, { appleApiClient }] = await Promise.all([
      import("@apple/app-store-server-library"),
      import("@/lib/app-stores/apple-api-client"),
    ]);
    await appleApiClient().sendConsumptionInformation(transactionId, {
      customerConsented: true,
      deliveryStatus: DeliveryStatus.DELIVERED,
      sampleContentProvided: false,
    });
  },
});
