import "server-only";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { env } from "@/lib/config/env";
import type {
  PaymentProvider,
  ProviderBalanceTransaction,
  ProviderCheckoutSession,
} from "@/lib/payment-provider/provider";
import { ProviderRefusal } from "@/lib/payment-provider/provider";
import { createSimulatedObjectOnce, SIMULATED_SESSION_SECONDS } from "@/lib/payment-provider/simulated-object-store";
import { simulatedPaymentDetails } from "@/lib/payment-provider/simulated-payment-details";
import { simulatedFunding } from "@/lib/payment-provider/simulated-funding";
import { minorUnitsAsNumber } from "@/lib/money/money";

/** Simulated refunds succeed at once; the charge is the payment our orders name. */
function simulatedRefundOf(row: { id: string; sourceRef: string | null; amountMinor: bigint; currency: string }) {
  return {
    id: row.id,
    paymentRef: row.sourceRef,
    amountMinor: minorUnitsAsNumber(row.amountMinor),
    currency: row.currency,
    status: "succeeded" as const,
    refundRequestId: null,
  };
}

/**
 * A simulated session is paid when its order has a charge (one per order, keyed `charge:<orderId>`), expired
 * past its end, open otherwise.
 */
async function simulatedSessionState(sessionId: string): Promise<ProviderCheckoutSession> {
  const session = await db().simulatedProviderObject.findUnique({ where: { id: sessionId } });
  if (session?.kind !== "session" || !session.sourceRef || !session.expiresAt)
    throw new ProviderRefusal(`no simulated checkout session ${sessionId}`, "resource_missing");
  const charge = await db().simulatedProviderObject.findUnique({
    where: { idempotencyKey: `charge:${session.sourceRef}` },
  });
  if (charge) return { state: "paid", paymentRef: charge.id, expiresAt: session.expiresAt };
  if (session.expiresAt <= new Date()) return { state: "expired", paymentRef: null, expiresAt: session.expiresAt };
  return { state: "open", paymentRef: null, expiresAt: session.expiresAt };
}

/**
 * The embedded provider. Its checkout is the local test page
 * /pay/simulated/[orderId]; charges, refunds and transfers are rows of
 * SimulatedProviderObject, so transfers are idempotent by key and its balance
 * transactions can be reconciled against the ledger like Stripe's.
 */
export const simulatedProvider: PaymentProvider = {
  name: "simulated",

  async createCheckoutSession(input) {
    const session = await createSimulatedObjectOnce(
      "session",
      input.idempotencyKey,
      {
        amountMinor: input.lineItems.reduce((sum, li) => sum + li.quantity * li.unitAmountMinor, 0),
        currency: input.currency,
        sourceRef: input.orderId,
        expiresAt: new Date(Date.now() + SIMULATED_SESSION_SECONDS * 1000),
      },
      "sim_cs",
    );
    return {
      sessionId: session.id,
      url: `${env().publicUrl}/pay/simulated/${input.orderId}`,
      expiresAt: session.expiresAt ?? new Date(),
    };
  },

  getCheckoutSession: simulatedSessionState,

  async expireCheckoutSession(sessionId) {
    await db().simulatedProviderObject.updateMany({
      where: { id: sessionId, kind: "session", expiresAt: { gt: new Date() } },
      data: { expiresAt: new Date() },
    });
    return simulatedSessionState(sessionId);
  },

  getPaymentDetails: simulatedPaymentDetails,

  async createConnectedAccount(input) {
    const account = await createSimulatedObjectOnce("account", `account:${input.payeeId}`, {}, "sim_acct");
    return { accountId: account.id };
  },

  async createOnboardingLink(input) {
    // Simulated accounts can receive transfers at once, so onboarding is a step straight back.
    return { url: input.returnUrl };
  },

  async getConnectedAccountStatus(accountId) {
    const account = await db().simulatedProviderObject.findUnique({ where: { id: accountId } });
    return { payoutsEnabled: account?.kind === "account" };
  },

  async createTransfer(input) {
    const account = await db().simulatedProviderObject.findUnique({ where: { id: input.destination } });
    if (account?.kind !== "account")
      throw new ProviderRefusal(`no connected account ${input.destination}`, "account_invalid");
    const transfer = await createSimulatedObjectOnce(
      "transfer",
      input.idempotencyKey,
      {
        amountMinor: input.amountMinor,
        currency: input.currency,
        destination: input.destination,
        sourceRef: input.transferGroup,
      },
      "sim_tr",
    );
    return { transferId: transfer.id };
  },

  async createRefund(input) {
    const replay = await db().simulatedProviderObject.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
    if (replay) return { refundId: replay.id, status: "succeeded" };
    // As Stripe does, the provider itself refuses refunds beyond what is left of the charge; the charge's
    // row is locked so refunds at once are counted one after another.
    const refund = await db().$transaction(async (tx) => {
      const [charge] = await tx.$queryRaw<{ amountMinor: bigint; currency: string }[]>`
        SELECT "amountMinor", "currency" FROM "SimulatedProviderObject"
        WHERE "id" = ${input.paymentRef} AND "kind" = 'charge' FOR UPDATE`;
      if (!charge) throw new ProviderRefusal(`no simulated charge ${input.paymentRef}`, "resource_missing");
      const again = await tx.simulatedProviderObject.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
      if (again) return again;
      const refunded = await tx.simulatedProviderObject.aggregate({
        where: { kind: "refund", sourceRef: input.paymentRef },
        _sum: { amountMinor: true },
      });
      if (BigInt(input.amountMinor) > charge.amountMinor - (refunded._sum.amountMinor ?? 0n))
        throw new ProviderRefusal("Refund amount is greater than unrefunded amount on charge", "amount_too_large");
      return tx.simulatedProviderObject.create({
        data: {
          id: newId("sim_re"),
          kind: "refund",
          idempotencyKey: input.idempotencyKey,
          amountMinor: input.amountMinor,
          currency: charge.currency,
          sourceRef: input.paymentRef,
        },
      });
    });
    return { refundId: refund.id, status: "succeeded" };
  },

  async getRefund(refundId) {
    const refund = await db().simulatedProviderObject.findUnique({ where: { id: refundId } });
    if (refund?.kind !== "refund") throw new ProviderRefusal(`no simulated refund ${refundId}`, "resource_missing");
    return simulatedRefundOf(refund);
  },

  async listRefunds(paymentRef) {
    const rows = await db().simulatedProviderObject.findMany({
      where: { kind: "refund", sourceRef: paymentRef },
      orderBy: { createdAt: "desc" },
    });
    return rows.map(simulatedRefundOf);
  },

  async listBalanceTransactions({ createdFrom, createdTo }) {
    const rows = await db().simulatedProviderObject.findMany({
      where: {
        kind: { in: ["charge", "refund", "transfer", "dispute"] },
        createdAt: { gte: createdFrom, lt: createdTo },
      },
      orderBy: { createdAt: "asc" },
    });
    return rows.map((r): ProviderBalanceTransaction => {
      const sign = r.kind === "charge" ? 1 : -1;
      return {
        id: `sim_txn_${r.id}`,
        type: r.kind === "dispute" ? "adjustment" : r.kind,
        amountMinor: sign * minorUnitsAsNumber(r.amountMinor),
        feeMinor: minorUnitsAsNumber(r.feeMinor),
        currency: r.currency,
        sourceId: r.id,
        paymentRef: r.kind === "charge" ? r.id : null,
        createdAt: r.createdAt,
      };
    });
  },

  ...simulatedFunding,
};
