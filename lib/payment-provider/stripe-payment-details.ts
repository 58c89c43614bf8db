import "server-only";
import type Stripe from "stripe";
import type { PaymentDetails } from "@/lib/payment-provider/provider";
import { refusalsMapped } from "@/lib/payment-provider/stripe-client";

/**
 * Stripe reports the fee in the balance's currency. A charge in another currency (settled in EUR, sold in
 * USD) has its fee brought into the charge's currency at the charge's own rate (its amount over the
 * settled amount), rounded to the nearest minor unit, so the ledger posts it beside the sale.
 */
function feeInChargeCurrency(txn: Stripe.BalanceTransaction, charge: Stripe.Charge): number {
  if (txn.currency === charge.currency || txn.amount === 0) return txn.fee;
  return Math.round((txn.fee * charge.amount) / txn.amount);
}

/** A payment intent's charge, its fee and how it settled, from the charge's balance transaction. */
export async function stripePaymentDetails(stripe: Stripe, paymentRef: string): Promise<PaymentDetails> {
  const intent = await refusalsMapped(() =>
    stripe.paymentIntents.retrieve(paymentRef, { expand: ["latest_charge.balance_transaction"] }),
  );
  const charge = intent.latest_charge;
  if (!charge || typeof charge === "string") throw new Error(`payment intent ${paymentRef} has no expanded charge`);
  const txn =
    charge.balance_transaction && typeof charge.balance_transaction !== "string" ? charge.balance_transaction : null;
  return {
    chargeId: charge.id,
    feeMinor: txn ? feeInChargeCurrency(txn, charge) : 0,
    paidAt: new Date(charge.created * 1000),
    orderId: intent.metadata?.orderId ?? null,
    settlement: txn ? { currency: txn.currency.toUpperCase(), amountMinor: txn.amount, feeMinor: txn.fee } : null,
  };
}
