import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import type { FundingSubscription, PaymentProvider } from "@/lib/payment-provider/provider";
import { ProviderRefusal } from "@/lib/payment-provider/provider";
import { createSimulatedObjectOnce, SIMULATED_SESSION_SECONDS } from "@/lib/payment-provider/simulated-object-store";
import { simulatedPaymentDetails } from "@/lib/payment-provider/simulated-payment-details";
import { minorUnitsAsNumber } from "@/lib/money/money";

async function simulatedFundingSubscription(subscriptionId: string): Promise<FundingSubscription> {
  const sub = await db().simulatedProviderObject.findUnique({ where: { id: subscriptionId } });
  if (sub?.kind !== "subscription")
    throw new ProviderRefusal(`no simulated subscription ${subscriptionId}`, "resource_missing");
  return {
    id: sub.id,
    fundingId: sub.sourceRef,
    status: sub.destination === "canceled" ? "canceled" : "active",
    cancelAtPeriodEnd: sub.destination === "canceling",
    currentPeriodEnd: sub.expiresAt,
  };
}

/**
 * The simulated provider's funding operations. The test page /fund/simulated/[fundingId] pays the session
 * (lib/payments/complete-simulated-funding.ts). A monthly funding's subscription is a row whose `destination`
 * holds its status (active | canceling | canceled) and `expiresAt` its paid period's end; its invoice names the
 * subscription (`sourceRef`) and the charge (`destination`). Renewals are billed by the simulated provider's
 * clock, a background task (billSimulatedRenewals, delivered by lib/payments/renew-simulated-fundings.ts).
 */
export const simulatedFunding: Pick<
  PaymentProvider,
  "createFundingCheckout" | "getFundingInvoice" | "getFundingSubscription" | "cancelFundingAtPeriodEnd"
> = {
  async createFundingCheckout(input) {
    const session = await createSimulatedObjectOnce(
      "session",
      input.idempotencyKey,
      {
        amountMinor: input.amountMinor,
        currency: input.currency,
        sourceRef: input.fundingId,
        expiresAt: new Date(Date.now() + SIMULATED_SESSION_SECONDS * 1000),
      },
      "sim_cs",
    );
    return {
      sessionId: session.id,
      url: `${env().publicUrl}/fund/simulated/${input.fundingId}`,
      expiresAt: session.expiresAt ?? new Date(),
    };
  },
  async getFundingInvoice(invoiceId) {
    const invoice = await db().simulatedProviderObject.findUnique({ where: { id: invoiceId } });
    if (invoice?.kind !== "invoice" || !invoice.sourceRef || !invoice.destination)
      throw new ProviderRefusal(`no simulated invoice ${invoiceId}`, "resource_missing");
    const sub = await simulatedFundingSubscription(invoice.sourceRef);
    return {
      id: invoice.id,
      status: "paid",
      subscriptionId: sub.id,
      fundingId: sub.fundingId,
      amountPaidMinor: minorUnitsAsNumber(invoice.amountMinor),
      currency: invoice.currency,
      periodEnd: invoice.expiresAt,
      paymentRef: invoice.destination,
      payment: await simulatedPaymentDetails(invoice.destination),
    };
  },
  getFundingSubscription: simulatedFundingSubscription,
  async cancelFundingAtPeriodEnd(subscriptionId) {
    await db().simulatedProviderObject.updateMany({
      where: { id: subscriptionId, kind: "subscription", destination: "active" },
      data: { destination: "canceling" },
    });
    return simulatedFundingSubscription(subscriptionId);
  },
};
