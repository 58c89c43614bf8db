import "server-only";
import { db } from "@/lib/db/client";
import { billSimulatedRenewals } from "@/lib/payment-provider/bill-simulated-renewals";
import { processProviderEvent } from "@/lib/payments/process-provider-event";
import { simulatedInvoicePaid, simulatedSubscriptionDeleted } from "@/lib/payments/simulated-funding-events";

/** Deliveries per round; the rest wait for the next. */
const DELIVERY_BATCH = 500;

/**
 * The simulated provider's monthly fundings renew as Stripe's do (a background task on one instance, and
 * `payments renew-simulated`): each subscription due is billed for its next period, or ended if its funder
 * stopped it (billSimulatedRenewals), and then Guildhall is told through the same handlers as Stripe's
 * events: `invoice.paid` for every simulated invoice not yet delivered (posted once to the ledger and split
 * to the hosts) and `customer.subscription.deleted` for every subscription ended. What is delivered is found
 * from what the provider holds, not remembered from the billing, so a round cut short between the two
 * (a crash, a lost connection) is finished by the next; the event ids are the objects', so nothing acts twice.
 */
export async function renewSimulatedFundings(input: { now?: Date } = {}) {
  const { billed, ended } = await billSimulatedRenewals(input.now ?? new Date());
  const invoices = await db().$queryRaw<{ id: string; subscriptionId: string; fundingId: string }[]>`
    SELECT i."id", s."id" AS "subscriptionId", s."sourceRef" AS "fundingId"
      FROM "SimulatedProviderObject" i
      JOIN "SimulatedProviderObject" s ON s."id" = i."sourceRef" AND s."kind" = 'subscription'
     WHERE i."kind" = 'invoice' AND s."sourceRef" IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM "PaymentEvent" e
                        WHERE e."provider" = 'simulated' AND e."eventId" = 'sim_evt_invoice_paid_' || i."id")
     ORDER BY i."createdAt", i."id"
     LIMIT ${DELIVERY_BATCH}`;
  const endedSubscriptions = await db().$queryRaw<{ id: string; fundingId: string }[]>`
    SELECT s."id", s."sourceRef" AS "fundingId"
      FROM "SimulatedProviderObject" s
     WHERE s."kind" = 'subscription' AND s."destination" = 'canceled' AND s."sourceRef" IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM "PaymentEvent" e
                        WHERE e."provider" = 'simulated' AND e."eventId" = 'sim_evt_subscription_deleted_' || s."id")
     LIMIT ${DELIVERY_BATCH}`;
  let posted = 0;
  for (const invoice of invoices) {
    const result = await processProviderEvent(
      simulatedInvoicePaid({
        invoiceId: invoice.id,
        subscriptionId: invoice.subscriptionId,
        fundingId: invoice.fundingId,
      }),
    );
    if (result.outcome === "handled") posted += 1;
  }
  for (const sub of endedSubscriptions)
    await processProviderEvent(simulatedSubscriptionDeleted({ subscriptionId: sub.id, fundingId: sub.fundingId }));
  return { billed, ended, posted, endedDelivered: endedSubscriptions.length };
}
