import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStripeDouble, type StripeDouble } from "../../support/stripe-double";

/**
 * The double refuses what Stripe's own description of the pinned version refuses, so a test against it can
 * fail for the right reason: these are the refusals Guildhall's calls would meet at Stripe.
 */
let double: StripeDouble;
let stripe: Stripe;

beforeAll(async () => {
  double = await startStripeDouble();
  const url = new URL(double.url);
  stripe = new Stripe("sk_test_double", {
    host: url.hostname,
    port: url.port,
    protocol: "http",
    maxNetworkRetries: 0,
    telemetry: false,
  });
});
afterAll(() => double.close());

const lineItem = { quantity: 1, price_data: { currency: "eur", unit_amount: 500, product_data: { name: "Seat" } } };
const session = { mode: "payment" as const, success_url: "http://localhost/s", line_items: [lineItem] };

/** Sends parameters the SDK's types would not let through, as a mistaken caller could. */
const loosely = <T>(params: Record<string, unknown>) => params as T;

describe("the Stripe double, held to Stripe's description of the pinned API version", () => {
  it("refuses unknown parameters at any depth, naming them as Stripe does", async () => {
    await expect(
      stripe.checkout.sessions.create(loosely<Stripe.Checkout.SessionCreateParams>({ ...session, colour: "red" })),
    ).rejects.toMatchObject({ code: "parameter_unknown", param: "colour" });
    await expect(
      stripe.checkout.sessions.create({
        ...session,
        line_items: [loosely<Stripe.Checkout.SessionCreateParams.LineItem>({ ...lineItem, discount: 5 })],
      }),
    ).rejects.toMatchObject({ code: "parameter_unknown", param: "line_items[0][discount]" });
    await expect(
      stripe.refunds.create(loosely<Stripe.RefundCreateParams>({ payment_intent: "pi_1", amount_minor: 5 })),
    ).rejects.toMatchObject({ code: "parameter_unknown" });
  });

  it("refuses missing required parameters, wrong types and values outside an enumeration", async () => {
    await expect(
      stripe.transfers.create(loosely<Stripe.TransferCreateParams>({ amount: 100, currency: "eur" })),
    ).rejects.toMatchObject({ code: "parameter_missing", param: "destination" });
    await expect(
      stripe.checkout.sessions.create({
        ...session,
        line_items: [{ ...lineItem, price_data: { ...lineItem.price_data, unit_amount: 12.5 } }],
      }),
    ).rejects.toMatchObject({ code: "parameter_invalid_integer", param: "line_items[0][price_data][unit_amount]" });
    await expect(
      stripe.subscriptions.update("sub_1", loosely<Stripe.SubscriptionUpdateParams>({ cancel_at_period_end: "soon" })),
    ).rejects.toMatchObject({ code: "parameter_invalid_boolean" });
    await expect(
      stripe.accountLinks.create(loosely<Stripe.AccountLinkCreateParams>({ account: "acct_1", type: "sign_up" })),
    ).rejects.toMatchObject({ code: "parameter_invalid_string", param: "type" });
    await expect(
      stripe.refunds.create({ payment_intent: "pi_1", metadata: { ["k".repeat(41)]: "v" } }),
    ).rejects.toMatchObject({ code: "invalid_key" });
  });

  it("refuses to expand what the endpoint cannot expand", async () => {
    await expect(stripe.refunds.retrieve("re_1", { expand: ["charge"] })).rejects.toThrow(/cannot be expanded/);
  });

  it("answers and sends only the pinned version's shapes and event types", async () => {
    const created = await stripe.checkout.sessions.create(session);
    const paid = double.paySession(created.id);
    const charge = double.chargeOfIntent(String(paid.payment_intent)) ?? {};
    expect("refunds" in charge).toBe(false);
    expect(() => double.event("charge.refunded", { ...charge, refunds: { data: [] } })).toThrow(/sent only when asked/);
    expect(() => double.event("invoice.paid", { object: "invoice", subscription: "sub_1" })).toThrow(
      /not a field at this API version/,
    );
    expect(() => double.event("charge.refunds.created", charge)).toThrow(/sends no charge.refunds.created event/);
    expect(double.event("charge.refunded", charge)).toMatchObject({ api_version: Stripe.API_VERSION });
  });
});
