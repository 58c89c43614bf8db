import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { simulatedFeeMinor } from "@/lib/payment-provider/simulated-fee";
import { SIMULATED_MONTH_MS } from "@/lib/payment-provider/record-simulated-funding-subscription";

/** Periods billed for one subscription in a round: a portal stopped for months catches up a year at most. */
const MAX_PERIODS_PER_ROUND = 12;

type DueSubscription = {
  id: string;
  sourceRef: string | null;
  destination: string | null;
  amountMinor: bigint;
  currency: string;
  expiresAt: Date | null;
};

/**
 * What the simulated provider's clock does at a monthly funding's period end, as Stripe's billing does:
 * an active subscription is charged for the next period (a charge and a paid invoice, keyed by the funding
 * and the period's number, so a round repeated after a crash bills nothing twice) and its period moves on
 * a month; one set to end (the funder stopped it) is canceled instead, and charged nothing. Each period is
 * one transaction with the subscription's row locked, so two rounds at once bill it once. Answers the
 * subscriptions it changed; telling Guildhall is the caller's (lib/payments/renew-simulated-fundings.ts).
 */
export async function billSimulatedRenewals(now: Date): Promise<{ billed: number; ended: number }> {
  const due = await db().simulatedProviderObject.findMany({
    where: { kind: "subscription", destination: { in: ["active", "canceling"] }, expiresAt: { lte: now } },
    select: { id: true },
    orderBy: { expiresAt: "asc" },
    take: 500,
  });
  let billed = 0;
  let ended = 0;
  for (const { id } of due)
    for (let period = 0; period < MAX_PERIODS_PER_ROUND; period++) {
      const step = await db().$transaction((tx) => billOnePeriod(tx, id, now));
      if (step === "billed") billed += 1;
      if (step === "ended") ended += 1;
      if (step !== "billed") break;
    }
  return { billed, ended };
}

async function billOnePeriod(tx: Tx, subscriptionId: string, now: Date): Promise<"billed" | "ended" | "not_due"> {
  const [sub] = await tx.$queryRaw<DueSubscription[]>`
    SELECT "id", "sourceRef", "destination", "amountMinor", "currency", "expiresAt"
      FROM "SimulatedProviderObject" WHERE "id" = ${subscriptionId} AND "kind" = 'subscription' FOR UPDATE`;
  if (!sub?.expiresAt || !sub.sourceRef || sub.expiresAt > now) return "not_due";
  if (sub.destination === "canceling") {
    await tx.simulatedProviderObject.update({ where: { id: sub.id }, data: { destination: "canceled" } });
    return "ended";
  }
  if (sub.destination !== "active") return "not_due";
  const fundingId = sub.sourceRef;
  // The first invoice is number 1 (made when the funder paid on the test page); renewals follow it.
  const period = (await tx.simulatedProviderObject.count({ where: { kind: "invoice", sourceRef: sub.id } })) + 1;
  const periodEnd = new Date(sub.expiresAt.getTime() + SIMULATED_MONTH_MS);
  const charge = await tx.simulatedProviderObject.create({
    data: {
      id: newId("sim_ch"),
      kind: "charge",
      idempotencyKey: `charge:${fundingId}:${period}`,
      amountMinor: sub.amountMinor,
      currency: sub.currency,
      feeMinor: simulatedFeeMinor(Number(sub.amountMinor)),
      sourceRef: fundingId,
      createdAt: sub.expiresAt,
    },
  });
  await tx.simulatedProviderObject.create({
    data: {
      id: newId("sim_in"),
      kind: "invoice",
      idempotencyKey: `invoice:${fundingId}:${period}`,
      amountMinor: sub.amountMinor,
      currency: sub.currency,
      sourceRef: sub.id,
      destination: charge.id,
      expiresAt: periodEnd,
      createdAt: sub.expiresAt,
    },
  });
  await tx.simulatedProviderObject.update({ where: { id: sub.id }, data: { expiresAt: periodEnd } });
  return "billed";
}
