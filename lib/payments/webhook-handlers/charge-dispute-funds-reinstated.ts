import "server-only";
import { closeReportedDispute } from "@/lib/payments/close-reported-dispute";
import { str, type WebhookHandler } from "@/lib/payments/webhook-handlers/types";

/**
 * The disputed money came back to the balance (the dispute was won, or withdrawn by the customer): the
 * dispute's entry is reversed and the payees are owed their shares again, as for a won dispute. The
 * dispute's own closed event then finds it settled and changes nothing. A dispute held until its payment is
 * recorded keeps the outcome (closeReportedDispute).
 */
export const chargeDisputeFundsReinstated: WebhookHandler = {
  async handle(tx, event) {
    const id = str(event.object.id);
    if (!id) return { outcome: "ignored", note: "no dispute id" };
    const result = await closeReportedDispute(tx, {
      provider: event.provider,
      disputeId: id,
      won: true,
      actor: { type: "system", id: event.provider },
    });
    return {
      outcome: result === "closed" || result === "held" ? "handled" : "ignored",
      note: `funds reinstated: ${result}`,
    };
  },
};
