import "server-only";
import { closeDispute } from "@/lib/payments/close-dispute";
import { str, type WebhookHandler } from "@/lib/payments/webhook-handlers/types";

/** A dispute ended: won reverses the dispute's entry, lost leaves it. */
export const chargeDisputeClosed: WebhookHandler = {
  async handle(tx, event) {
    const id = str(event.object.id);
    if (!id) return { outcome: "ignored", note: "no dispute id" };
    const result = await closeDispute(tx, {
      providerRef: id,
      won: event.object.status === "won",
      actor: { type: "system", id: event.provider },
    });
    return { outcome: result === "closed" ? "handled" : "ignored", note: result };
  },
};
