import "server-only";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { env } from "@/lib/config/env";
import { Prisma } from "@/lib/generated/prisma/client";
import type {
  PaymentProvider,
  ProviderBalanceTransaction,
  ProviderCheckoutSession,
  FundingSubscription,
} from "@/lib/payment-provider/provider";
import { ProviderRefusal } from "@/lib/payment-provider/provider";
import { simulatedFeeMinor } from "@/lib/payment-provider/simulated-fee";
import { minorUnitsAsNumber } from "@/lib/money/money";

/**
 * The embedded provider. Its checkout is the local test page
 * /pay/simulated/[orderId]; charges, refunds and transfers are rows of
 * SimulatedProviderObject, so transfers are idempotent by key and its balance
 * transactions can be reconciled against the ledger like Stripe's.
 */
async function idempotent(
  kind: string,
  idempotencyKey: string,
  data: Omit<Prisma.SimulatedProviderObjectCreateInput, "id" | "kind" | "idempotencyKey">,
  prefix: string,
) {
  const existing = await db().simulatedProviderObject.findUnique({ where: { idempotencyKey } });
  if (existing) return existing;
  try {
    return await db().simulatedProviderObject.create({ data: { id: newId(prefix), kind, idempotencyKey, ...data } });
  } catch (e) {
    // Two callers with one key at once: the loser reads the winner's object, as Stripe answers a replay.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")
      return db().simulatedProviderObject.findUniqueOrThrow({ where: { idempotencyKey } });
    throw e;
  }
}

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

/** Simulated sessions take payment for 24 hours, as Stripe's do by default. */
export const SIMULATED_SESSION_SECONDS = 86_400;

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

async function simulatedFundingSubscription(subscriptionId: string): Promise<FundingSubscription> {
  const sub = await db().simulatedProviderObject.findUnique({ where: { id: subscriptionId } });
  if (sub?.kind !== "subscription")
    throw new ProviderRefusal(`no simulated subscription ${subscriptionId}`, "resource_missing");
  return {
    id: sub.id,
    fundingId: sub.sourceRef,
    status: "active",
    cancelAtPeriodEnd: sub.destination === "canceling",
    currentPeriodEnd: sub.expiresAt,
  };
}

export const simulatedProvider: PaymentProvider = {
  name: "simulated",

  async createCheckoutSession(input) {
    const session = await idempotent(
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

  async getPaymentDetails(paymentRef) {
    const charge = await db().simulatedProviderObject.findUnique({ where: { id: paymentRef } });
    if (charge?.kind !== "charge") throw new ProviderRefusal(`no simulated charge ${paymentRef}`, "resource_missing");
    return {
      chargeId: charge.id,
      feeMinor: minorUnitsAsNumber(charge.feeMinor),
      paidAt: charge.createdAt,
      orderId: charge.sourceRef,
      settlement: {
        currency: charge.currency,
        amountMinor: minorUnitsAsNumber(charge.amountMinor),
        feeMinor: minorUnitsAsNumber(charge.feeMinor),
      },
    };
  },

  async createConnectedAccount(input) {
    const account = await idempotent("account", `account:${input.payeeId}`, {}, "sim_acct");
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
    const transfer = await idempotent(
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

  // Funding: the test page /fund/simulated/[fundingId] pays the session (lib/payments/complete-simulated-funding.ts).
  // A monthly funding's subscription is a row whose `destination` holds its status (active | canceling) and
  // `expiresAt` its paid period's end; its invoice names the subscription (`sourceRef`) and the charge
  // (`destination`). The simulated provider takes the first payment only: it has no clock to renew by.
  async createFundingCheckout(input) {
    const session = await idempotent(
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
      payment: await simulatedProvider.getPaymentDetails(invoice.destination),
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

/**
 * Records the charge of a simulated card payment on an open session (the test page calls this). One charge
 * per order, whatever the session: a replay answers the first. An expired session takes no payment, as at
 * Stripe; the session row is locked so that expiring it and paying it are one after the other.
 */
export async function recordSimulatedCharge(sessionId: string, orderId: string, amountMinor: number, currency: string) {
  const idempotencyKey = `charge:${orderId}`;
  return db().$transaction(async (tx) => {
    const [session] = await tx.$queryRaw<{ expiresAt: Date | null }[]>`
      SELECT "expiresAt" FROM "SimulatedProviderObject"
      WHERE "id" = ${sessionId} AND "kind" = 'session' AND "sourceRef" = ${orderId} FOR UPDATE`;
    const charged = await tx.simulatedProviderObject.findUnique({ where: { idempotencyKey } });
    if (charged) return charged;
    if (!session) throw new ProviderRefusal(`no simulated checkout session ${sessionId}`, "resource_missing");
    if (!session.expiresAt || session.expiresAt <= new Date())
      throw new ProviderRefusal(`checkout session ${sessionId} is expired`, "checkout_session_expired");
    return tx.simulatedProviderObject.create({
      data: {
        id: newId("sim_ch"),
        kind: "charge",
        idempotencyKey,
        amountMinor,
        currency,
        feeMinor: simulatedFeeMinor(amountMinor),
        sourceRef: orderId,
      },
    });
  });
}

export async function recordSimulatedDispute({
  chargeId,
  amountMinor,
  currency,
}: {
  chargeId: string;
  amountMinor: number;
  currency: string;
}) {
  return idempotent("dispute", `dispute:${chargeId}`, { amountMinor, currency, sourceRef: chargeId }, "sim_dp");
}

/** A month, as the simulated provider bills a funding. */
const SIMULATED_MONTH_MS = 30 * 86_400_000;

/**
 * A monthly funding's subscription and its first invoice, paid by `chargeId`: made once per funding (keyed
 * by it), so a page submitted again, or a retry after a crash, finds the same ones.
 */
export async function recordSimulatedFundingSubscription(fundingId: string, chargeId: string) {
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
