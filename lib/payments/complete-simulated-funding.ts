import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { processProviderEvent } from "@/lib/payments/process-provider-event";
import { recordSimulatedCharge } from "@/lib/payment-provider/record-simulated-charge";
import { recordSimulatedFundingSubscription } from "@/lib/payment-provider/record-simulated-funding-subscription";
import { ProviderRefusal } from "@/lib/payment-provider/provider";
import { minorUnitsAsNumber } from "@/lib/money/money";
import { simulatedInvoicePaid } from "@/lib/payments/simulated-funding-events";

/** The test cards a funding takes (a funding is not disputed here). */
export const simulatedFundingCards = {
  "4242424242424242": "succeeds",
  "4000000000000002": "is declined",
} as const;

/**
 * What the simulated funding page does with a test card: a paid card records the charge and delivers the
 * events Stripe would, through the same handlers: a one-time funding's checkout.session.completed (which
 * posts the payment), or a monthly one's session completion and its first invoice.paid (its renewals are
 * billed by renewSimulatedFundings). Every step is
 * keyed by the funding, so submitting the page again after a crash delivers the same charge and events, and
 * the funding is recorded once. A declined card changes nothing. Only the funder pays their funding here.
 */
export async function completeSimulatedFunding({
  funderUserId,
  fundingId,
  cardNumber,
}: {
  funderUserId: string;
  fundingId: string;
  cardNumber: string;
}) {
  const card = cardNumber.replace(/[\s-]/g, "");
  const funding = await db().funding.findUnique({ where: { id: fundingId } });
  // Someone else's funding is not theirs to pay: as unknown to them as one that does not exist.
  if (
    !funding ||
    funding.funderUserId !== funderUserId ||
    funding.provider !== "simulated" ||
    !funding.providerSessionId
  )
    throw new AppError("NOT_FOUND", {
      userMessage: "No such simulated funding checkout.",
      reason: "FUNDING_NOT_FOUND",
    });
  if (funding.status !== "pending") return { result: "paid" as const, fundingId };
  if (!(card in simulatedFundingCards))
    throw new AppError("VALIDATION_FAILED", {
      userMessage: "Use one of the listed test card numbers.",
      reason: "UNKNOWN_TEST_CARD",
    });
  if (card === "4000000000000002") return { result: "declined" as const, fundingId };
  const amountMinor = minorUnitsAsNumber(funding.amountMinor);
  const sessionId = funding.providerSessionId;
  let charge: Awaited<ReturnType<typeof recordSimulatedCharge>>;
  try {
    charge = await recordSimulatedCharge({ sessionId, orderId: fundingId, amountMinor, currency: funding.currency });
  } catch (e) {
    if (e instanceof ProviderRefusal)
      throw new AppError("CONFLICT", {
        userMessage: "This checkout expired; start the funding again.",
        reason: "CHECKOUT_EXPIRED",
      });
    throw e;
  }
  const metadata = { fundingId };
  if (funding.interval === "once") {
    await processProviderEvent({
      provider: "simulated",
      id: `sim_evt_funding_completed_${fundingId}`,
      type: "checkout.session.completed",
      object: {
        id: sessionId,
        mode: "payment",
        payment_status: "paid",
        payment_intent: charge.id,
        amount_total: amountMinor,
        currency: funding.currency.toLowerCase(),
        metadata,
      },
    });
    return { result: "paid" as const, fundingId };
  }
  const { subscription, invoice } = await recordSimulatedFundingSubscription({ fundingId, chargeId: charge.id });
  await processProviderEvent({
    provider: "simulated",
    id: `sim_evt_funding_completed_${fundingId}`,
    type: "checkout.session.completed",
    object: { id: sessionId, mode: "subscription", payment_status: "paid", subscription: subscription.id, metadata },
  });
  await processProviderEvent(
    simulatedInvoicePaid({ invoiceId: invoice.id, subscriptionId: subscription.id, fundingId }),
  );
  return { result: "paid" as const, fundingId };
}
