import "server-only";
import { closeReportedDispute } from "@/lib/payments/close-reported-dispute";
import { str, type WebhookHandler } from "@/lib/payments/webhook-handlers/types";

/** A dispute ended: won reverses the dispute's entry, lost leaves it (held until its payment is recorded, if it is). */
export const chargeDisputeClosed: WebhookHandler = {
  async handle(tx, event) {
    const id = str(event.object.id);
    if (!id) return { outcome: "ignored", note: "no dispute id" };
    const result = await closeReportedDispute(tx, {
      provider: event.provider,
      disputeId: id,
      won: event.object.status === "won",
      actor: {
        type: "system",
        id: event.provider,
      },
    });
    return { outcome: result === "closed" || result === "held" ? "handled" : "ignored", note: result };
  },
};
