import "server-only";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";

/** A month, as the simulated provider bills a funding. */
export const SIMULATED_MONTH_MS = 30 * 86_400_000;

/**
 * A monthly funding's subscription and its first invoice, paid by `chargeId`: made once per funding (keyed
 * by it), so a page submitted again, or a retry after a crash, finds the same ones.
 */
export async function recordSimulatedFundingSubscription({
  fundingId,
  chargeId,
}: {
  fundingId: string;
  chargeId: string;
}) {
  return db().$transaction(async (tx) => {
    const charge = await tx.simulatedProviderObject.findUniqueOrThrow({ where: { id: chargeId } });
    const periodEnd = new Date(charge.createdAt.getTime() + SIMULATED_MONTH_MS);
    const subKey = `subscription:${fundingId}`;
    const subscription =
      (await tx.simulatedProviderObject.findUnique({ where: { idempotencyKey: subKey } })) ??
      (await tx.simulatedProviderObject.create({
        data: {
          id: newId("sim_sub"),
          kind: "subscription",
          idempotencyKey: subKey,
          amountMinor: charge.amountMinor,
          currency: charge.currency,
          sourceRef: fundingId,
          destination: "active",
          expiresAt: periodEnd,
        },
      }));
    const invoiceKey = `invoice:${fundingId}:1`;
    const invoice =
      (await tx.simulatedProviderObject.findUnique({ where: { idempotencyKey: invoiceKey } })) ??
      (await tx.simulatedProviderObject.create({
        data: {
          id: newId("sim_in"),
          kind: "invoice",
          idempotencyKey: invoiceKey,
          amountMinor: charge.amountMinor,
          currency: charge.currency,
          sourceRef: subscription.id,
          destination: charge.id,
          expiresAt: periodEnd,
        },
      }));
    return { subscription, invoice };
  });
}
