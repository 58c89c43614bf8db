import "server-only";
import { z } from "zod";
import { defineEffect } from "@/lib/outbox/define-effect";
import { googlePlayApi } from "@/lib/app-stores/google-play-api";

/**
 * Acknowledges a Google Play purchase once its order is recorded: Google
 * refunds a purchase left unacknowledged for three days, so only what
 * Guildhall recorded (and so delivers) is acknowledged. An outbox effect,
 * enqueued in the transaction that records the order, so the call happens
 * after commit and is retried until Google takes it.
 */
export const acknowledgeGooglePurchaseEffect = defineEffect({
  kind: "app-stores.google-acknowledge",
  schema: z.object({
    kind: z.enum(["product", "subscription"]),
    productId: z.string().min(1),
    token: z.string().min(1),
  }),
  async handle({ kind, productId, token }) {
    const api = googlePlayApi();
    try {
      if (kind === "product") await api.acknowledgeProduct(productId, token);
      else await api.acknowledgeSubscription(productId, token);
    } catch (e) {
      // An earlier try may have been taken by Google though its answer was lost: acknowledged is done.
      if (await acknowledgedAlready(kind, token)) return;
      throw e;
    }
  },
});

async function acknowledgedAlready(kind: "product" | "subscription", token: string) {
  const api = googlePlayApi();
  if (kind === "product")
    return (await api.getProduct(token)).acknowledgementState === "ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED";
  return (await api.getSubscription(token)).acknowledgementState === "ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED";
}
