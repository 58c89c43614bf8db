import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createStripeProvider } from "@/lib/payment-provider/stripe-provider";
import { ProviderRefusal } from "@/lib/payment-provider/provider";
import { createCheckout } from "@/lib/payments/create-checkout";
import { handleStripeWebhook } from "@/lib/payments/handle-stripe-webhook";
import { refundOrder } from "@/lib/payments/refund-order";
import { checkLedger } from "@/lib/ledger/check-ledger";
import { useStripeDouble } from "../../support/stripe-testbed";
import { seedPaymentsWorld, ticketCheckoutInput } from "../../support/payments-factories";
import { defined } from "../../support/defined";

const testbed = useStripeDouble();
const { secret: SECRET, connectSecret: CONNECT_SECRET, deliver } = testbed;
const signed = (payload: string, timestamp?: number) => testbed.signed(payload, { timestamp });
const signedWith = (payload: string, secret: string) => testbed.signed(payload, { secret });

describe("Stripe adapter through the real SDK and a local double", () => {
  it("creates accounts, onboarding links and idempotent transfers, and maps refusals", async () => {
    const stripe = createStripeProvider({ secretKey: "sk_test_guildhall", apiBase: testbed.double.url });
    // Stripe would make an account without a country in the platform's, for good: the double refuses it.
    await expect(stripe.createConnectedAccount({ payeeId: "org_x", email: "t@example.test" })).rejects.toMatchObject({
      code: "parameter_missing",
    });
    const { accountId } = await stripe.createConnectedAccount({
      payeeId: "org_x",
      email: "t@example.test",
      country: "NL",
    });
    expect(accountId).toMatch(/^acct_/);
    expect(
      (
        await stripe.createOnboardingLink({
          accountId,
          refreshUrl: "http://localhost/r",
          returnUrl: "http://localhost/r",
        })
      ).url,
    ).toContain(accountId);
    expect(await stripe.getConnectedAccountStatus(accountId)).toEqual({ payoutsEnabled: false });

    const t = {
      amountMinor: 1234,
      currency: "EUR",
      destination: accountId,
      idempotencyKey: "payout:poi_1",
      transferGroup: "po_1",
      description: "d",
    };
    // Before its holder finishes onboarding the account cannot take transfers: Stripe refuses them.
    await expect(stripe.createTransfer({ ...t, idempotencyKey: "payout:poi_0" })).rejects.toMatchObject({
      code: "insufficient_capabilities_for_transfer",
    });
    testbed.double.completeOnboarding(accountId);
    expect(await stripe.getConnectedAccountStatus(accountId)).toEqual({ payoutsEnabled: true });
    // Nothing to transfer yet: Stripe refuses a transfer beyond the available balance.
    await expect(stripe.createTransfer(t)).rejects.toMatchObject({ code: "balance_insufficient" });
    testbed.double.topUp("EUR", 10_000);
    const first = await stripe.createTransfer({ ...t, idempotencyKey: "payout:poi_1:attempt-2" });
    expect(await stripe.createTransfer({ ...t, idempotencyKey: "payout:poi_1:attempt-2" })).toEqual(first);
    expect(testbed.double.transfersTo(accountId)).toHaveLength(1);
    expect(testbed.double.transfersTo(accountId)[0]).toMatchObject({
      amount: 1234,
      currency: "eur",
      transfer_group: "po_1",
    });
    // The same key with another amount is Stripe's idempotency_error, never a second payment.
    await expect(
      stripe.createTransfer({ ...t, idempotencyKey: "payout:poi_1:attempt-2", amountMinor: 999 }),
    ).rejects.toThrow(/same parameters/);
    await expect(
      stripe.createTransfer({ ...t, destination: "acct_missing", idempotencyKey: "payout:poi_2" }),
    ).rejects.toBeInstanceOf(ProviderRefusal);
    testbed.double.failNext("/v1/transfers", 500);
    const err = await stripe.createTransfer({ ...t, idempotencyKey: "payout:poi_3" }).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(ProviderRefusal); // a server error is retried by the outbox
    expect(err).toBeInstanceOf(Error);

    const txns = await stripe.listBalanceTransactions({
      createdFrom: new Date(Date.now() - 60_000),
      createdTo: new Date(Date.now() + 60_000),
    });
    expect(txns.filter((x) => x.type === "transfer").map((x) => x.amountMinor)).toContain(-1234);
  });

  it("sells through a Checkout Session, posts the sale from a signed webhook with Stripe's fee, and refunds", async () => {
    const w = await seedPaymentsWorld();
    const { checkoutId, url } = await createCheckout(ticketCheckoutInput(w.theater.org.id));
    expect(url).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_/);
    const order = await db().paymentOrder.findUniqueOrThrow({ where: { id: checkoutId } });
    expect(order.provider).toBe("stripe");
    const sessionReq = testbed.double.requests.find(
      (r) => r.path === "/v1/checkout/sessions" && r.idempotencyKey === `checkout:${checkoutId}`,
    );
    expect(sessionReq).toBeDefined();

    const session = testbed.double.paySession(defined(order.providerSessionId));
    expect(session.amount_total).toBe(5000);
    const completed = testbed.double.event("checkout.session.completed", session);
    expect(await deliver(completed)).toMatchObject({ status: 200, body: { duplicate: false, outcome: "handled" } });
    const paid = await db().paymentOrder.findUniqueOrThrow({ where: { id: checkoutId } });
    expect(paid).toMatchObject({ status: "paid", feeMinor: BigInt(Math.floor((5000 * 290) / 10_000) + 30) });
    // The same event again (Stripe retries) changes nothing.
    expect(await deliver(completed)).toMatchObject({ status: 200, body: { duplicate: true } });
    expect(await db().journalEntry.count({ where: { orderId: checkoutId } })).toBe(1);

    const refund = await refundOrder({
      actor: { type: "user", id: w.finance1.id },
      orderId: checkoutId,
      amountMinor: 2000,
      reason: "one seat returned",
      requestKey: "rk-adapter-1",
    });
    expect(refund).toMatchObject({ status: "submitted", providerStatus: "succeeded" });
    expect(refund.providerRefundId).toMatch(/^re_/);
    // Stripe then reports the refund, on the charge and as a refund: already recorded, nothing doubles.
    const charge = testbed.double.chargeOfIntent(String(session.payment_intent)) ?? {};
    expect(await deliver(testbed.double.event("charge.refunded", charge))).toMatchObject({
      status: 200,
      body: { outcome: "ignored" },
    });
    const made = testbed.double.refund(String(refund.providerRefundId)) ?? {};
    expect(await deliver(testbed.double.event("refund.created", made))).toMatchObject({
      status: 200,
      body: { outcome: "ignored" },
    });
    expect((await db().paymentOrder.findUniqueOrThrow({ where: { id: checkoutId } })).refundedMinor).toBe(2000n);
    expect((await checkLedger()).ok).toBe(true);
  });

  it("refuses tampered bodies, stale timestamps, missing signatures; answers 2xx to unknown types and 503 to early events", async () => {
    const payload = JSON.stringify(
      testbed.double.event("checkout.session.completed", { id: "cs_x", client_reference_id: "ord_nope" }),
    );
    const header = signed(payload);
    await expect(
      handleStripeWebhook(payload.replace("ord_nope", "ord_evil"), header, { secret: SECRET }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", reason: "SIGNATURE_INVALID" });
    // Re-serialized JSON (same data, other bytes) fails too: the raw body is what is signed.
    await expect(
      handleStripeWebhook(JSON.stringify(JSON.parse(payload), null, 2), header, { secret: SECRET }),
    ).rejects.toMatchObject({ reason: "SIGNATURE_INVALID" });
    const stale = Math.floor(Date.now() / 1000) - 301;
    await expect(handleStripeWebhook(payload, signed(payload, stale), { secret: SECRET })).rejects.toMatchObject({
      reason: "SIGNATURE_INVALID",
    });
    await expect(handleStripeWebhook(payload, null, { secret: SECRET })).rejects.toMatchObject({
      reason: "SIGNATURE_MISSING",
    });
    await expect(handleStripeWebhook(payload, signed(payload), { secret: "whsec_other" })).rejects.toMatchObject({
      reason: "SIGNATURE_INVALID",
    });

    // An event rendered in another API release than the handlers read is refused, naming the versions.
    const older = JSON.stringify({
      ...testbed.double.event("charge.refunded", { id: "ch_1" }),
      api_version: "2022-08-01",
    });
    await expect(handleStripeWebhook(older, signed(older), { secret: SECRET })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      reason: "API_VERSION_UNSUPPORTED",
    });
    const sameRelease = Stripe.API_VERSION.replace(/^\d{4}-\d{2}-\d{2}/, "2099-01-01");
    const later = JSON.stringify({
      ...testbed.double.event("customer.created", { id: "cus_2" }),
      api_version: sameRelease,
    });
    expect(await handleStripeWebhook(later, signed(later), { secret: SECRET })).toMatchObject({ status: 200 });

    expect(await deliver(testbed.double.event("customer.created", { id: "cus_1" }))).toMatchObject({
      status: 200,
      body: { outcome: "unhandled_type" },
    });
    expect(
      await deliver(
        testbed.double.event("checkout.session.completed", {
          id: "cs_x",
          payment_status: "paid",
          payment_intent: null,
        }),
      ),
    ).toMatchObject({ status: 200, body: { outcome: "ignored" } });

    // A refund of a charge that is not Guildhall's: recorded and ignored, never retried.
    const foreign = testbed.double.event("charge.refunded", {
      id: "ch_foreign",
      object: "charge",
      payment_intent: "pi_foreign",
    });
    expect(await deliver(foreign)).toMatchObject({ status: 200, body: { outcome: "ignored" } });

    // A refund reported before its sale's completion event: retry later.
    const w = await seedPaymentsWorld();
    const { checkoutId } = await createCheckout(ticketCheckoutInput(w.theater.org.id));
    const order = await db().paymentOrder.findUniqueOrThrow({ where: { id: checkoutId } });
    const session = testbed.double.paySession(defined(order.providerSessionId));
    // Refunded in the Stripe Dashboard at once.
    const early = testbed.double.event(
      "refund.created",
      testbed.double.refundOutside(String(session.payment_intent), 100),
    );
    expect(await deliver(early)).toMatchObject({ status: 503 });
    expect(await db().paymentEvent.count({ where: { eventId: String(early.id) } })).toBe(0);
    await deliver(testbed.double.event("checkout.session.completed", session));
    expect(await deliver(early)).toMatchObject({ status: 200, body: { outcome: "handled" } });
    expect((await db().paymentOrder.findUniqueOrThrow({ where: { id: checkoutId } })).refundedMinor).toBe(100n);
  });
});

describe("reconciliation against Stripe's balance transactions", () => {
  it("matches charges, refunds and transfers, and lists what only one side knows", async () => {
    const { reconcileProviderBalance } = await import("@/lib/payouts/reconcile-provider-balance");
    const from = new Date(Date.now() - 3_600_000);
    const to = new Date(Date.now() + 3_600_000);
    const before = await reconcileProviderBalance({ from, to });
    // Earlier tests in this file: the paid orders and both refunds (Guildhall's and the Dashboard's)
    // match; the bare transfers made directly through the adapter have no payout item in the ledger.
    expect(before.differences.filter((d) => d.kind !== "missing_in_ledger")).toEqual([]);
    expect(before.differences.some((d) => d.kind === "missing_in_ledger" && d.detail.startsWith("transfer"))).toBe(
      true,
    );
    expect(before.matched).toBe(4); // two charges and two refunds

    // A sale recorded with another fee than Stripe's is reported.
    const paid = await db().paymentOrder.findFirstOrThrow({ where: { provider: "stripe", status: "paid" } });
    const providerFee = paid.providerFeeMinor ?? 0n;
    await db().paymentOrder.update({ where: { id: paid.id }, data: { providerFeeMinor: providerFee + 1n } });
    const after = await reconcileProviderBalance({ from, to });
    expect(after.differences).toContainEqual(
      expect.objectContaining({
        kind: "fee_mismatch",
        detail: `fee: provider ${providerFee}, ledger ${providerFee + 1n}`,
      }),
    );
    // Each difference is a finance alert, raised once however often reconciliation sees it, mailed to finance.
    const { alertReconciliationDifferences } = await import("@/lib/payouts/alert-reconciliation-differences");
    const first = await alertReconciliationDifferences({ from, to });
    expect(first.alerted).toBe(first.differences.length);
    expect((await alertReconciliationDifferences({ from, to })).alerted).toBe(0);
    const alert = await db().financeAlert.findFirstOrThrow({ where: { message: { contains: "fee mismatch" } } });
    expect(await db().mailMessage.count({ where: { template: "finance-alert" } })).toBeGreaterThan(0);
    const { resolveFinanceAlert } = await import("@/lib/finance-alerts/resolve-finance-alert");
    const { seedUser } = await import("../../support/factories");
    const { user: outsider } = await seedUser();
    await expect(
      resolveFinanceAlert({ actor: { type: "user", id: outsider.id }, alertId: alert.id, reason: "looked" }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const { user: finance } = await seedUser({ roles: ["FINANCE"] });
    await resolveFinanceAlert({
      actor: { type: "user", id: finance.id },
      alertId: alert.id,
      reason: "fee corrected by hand",
    });
    expect((await db().financeAlert.findUniqueOrThrow({ where: { id: alert.id } })).resolvedById).toBe(finance.id);
    await db().paymentOrder.update({ where: { id: paid.id }, data: { providerFeeMinor: providerFee } });
  });

  it("keeps a sale settled in another currency with its fee in both, and reconciles it in the balance's", async () => {
    const { reconcileProviderBalance } = await import("@/lib/payouts/reconcile-provider-balance");
    const w = await seedPaymentsWorld({ currency: "USD" });
    testbed.double.settleIn({ currency: "eur", rate: 0.9 });
    try {
      const { checkoutId } = await createCheckout(ticketCheckoutInput(w.theater.org.id, { currency: "USD" }));
      const open = await db().paymentOrder.findUniqueOrThrow({ where: { id: checkoutId } });
      expect(
        (
          await deliver(
            testbed.double.event(
              "checkout.session.completed",
              testbed.double.paySession(String(open.providerSessionId)),
            ),
          )
        ).status,
      ).toBe(200);
      const order = await db().paymentOrder.findUniqueOrThrow({ where: { id: checkoutId } });
      // 5,000 US cents settle as 4,500 euro cents; the fee, 2.9 % + 30, is 160 euro cents: 178 US cents at the same rate.
      expect(order).toMatchObject({
        status: "paid",
        currency: "USD",
        feeMinor: 178n,
        settlementCurrency: "EUR",
        settledAmountMinor: 4500n,
        providerFeeMinor: 160n,
      });
      const r = await reconcileProviderBalance({
        from: new Date(Date.now() - 3_600_000),
        to: new Date(Date.now() + 3_600_000),
      });
      expect(
        r.differences.filter(
          (d) => d.providerRef === testbed.double.chargeOfIntent(String(order.providerPaymentRef))?.id,
        ),
      ).toEqual([]);
      expect(r.differences.filter((d) => d.kind === "amount_mismatch" || d.kind === "fee_mismatch")).toEqual([]);
    } finally {
      testbed.double.settleIn(null);
    }
  });
});

describe("Connect Express onboarding of payees", () => {
  it("creates the account once, links to onboarding, and completes on the provider's word or its webhook", async () => {
    const { connectPayeeAccount } = await import("@/lib/payouts/connect-payee-account");
    const w = await seedPaymentsWorld();
    const theaterPayee = { kind: "theater_payable" as const, orgId: w.theater.org.id, returnPath: "/orgs/x/payouts" };
    const admin = { type: "user" as const, id: w.theater.admin.id };
    await expect(connectPayeeAccount({ actor: admin, ...theaterPayee })).rejects.toMatchObject({
      reason: "COUNTRY_REQUIRED",
    });
    await expect(connectPayeeAccount({ actor: admin, ...theaterPayee, country: "XX" })).rejects.toMatchObject({
      reason: "COUNTRY_INVALID",
    });
    expect(await db().payeeAccount.count({ where: { orgId: w.theater.org.id } })).toBe(0);
    const first = await connectPayeeAccount({ actor: admin, ...theaterPayee, country: "de" });
    expect(first).toMatchObject({
      onboardingStatus: "pending",
      onboardingUrl: expect.stringMatching(/^https:\/\/connect\.stripe\.test\/setup\/e\/acct_/),
    });
    const again = await connectPayeeAccount({ actor: admin, ...theaterPayee });
    expect(again.payeeAccountId).toBe(first.payeeAccountId);
    const payee = await db().payeeAccount.findUniqueOrThrow({ where: { id: first.payeeAccountId } });
    expect(testbed.double.accounts.get(payee.providerAccountId)?.country).toBe("DE");
    expect(
      testbed.double.requests.filter(
        (r) => r.path === "/v1/accounts" && r.idempotencyKey === `account:${w.theater.org.id}`,
      ),
    ).toHaveLength(1);

    // The account.updated webhook, at the Connect endpoint with its own secret, completes onboarding...
    const account = testbed.double.completeOnboarding(payee.providerAccountId);
    const connectEvent = (type: string, object: Record<string, unknown>, acct: string) =>
      JSON.stringify({ ...testbed.double.event(type, object), account: acct });
    const updated = connectEvent("account.updated", account, payee.providerAccountId);
    // Signed with the platform endpoint's secret, it does not verify there.
    await expect(
      handleStripeWebhook(updated, signed(updated), { secret: CONNECT_SECRET, endpoint: "connect" }),
    ).rejects.toMatchObject({ reason: "SIGNATURE_INVALID" });
    const platformEvent = JSON.stringify(testbed.double.event("account.updated", account));
    await expect(
      handleStripeWebhook(platformEvent, signedWith(platformEvent, CONNECT_SECRET), {
        secret: CONNECT_SECRET,
        endpoint: "connect",
      }),
    ).rejects.toMatchObject({ reason: "NOT_A_CONNECT_EVENT" });
    // Another account cannot speak for this one.
    const forged = connectEvent("account.updated", account, "acct_other");
    expect(
      await handleStripeWebhook(forged, signedWith(forged, CONNECT_SECRET), {
        secret: CONNECT_SECRET,
        endpoint: "connect",
      }),
    ).toMatchObject({ body: { outcome: "ignored" } });
    expect(
      await handleStripeWebhook(updated, signedWith(updated, CONNECT_SECRET), {
        secret: CONNECT_SECRET,
        endpoint: "connect",
      }),
    ).toMatchObject({ status: 200, body: { outcome: "handled" } });

    // A payout of the connected account to its bank that fails alerts finance, once.
    const failed = connectEvent(
      "payout.failed",
      {
        id: "po_bank_1",
        object: "payout",
        amount: 4200,
        currency: "eur",
        failure_code: "account_closed",
        failure_message: "The bank account has been closed.",
      },
      payee.providerAccountId,
    );
    const viaConnect = { secret: CONNECT_SECRET, endpoint: "connect" as const };
    expect(await handleStripeWebhook(failed, signedWith(failed, CONNECT_SECRET), viaConnect)).toMatchObject({
      body: { outcome: "handled" },
    });
    const payoutAlert = await db().financeAlert.findFirstOrThrow({
      where: { key: "connected-payout-failed:po_bank_1" },
    });
    expect(payoutAlert.message).toContain("The bank account has been closed.");
    expect((await db().payeeAccount.findUniqueOrThrow({ where: { id: payee.id } })).onboardingStatus).toBe("complete");

    // ...and so does the provider's own answer when the payee is back before the webhook.
    const host = await connectPayeeAccount({
      actor: { type: "system", id: "system" },
      kind: "host_payable",
      orgId: w.hostA.org.id,
      returnPath: "/",
      country: "FR",
    });
    const hostPayee = await db().payeeAccount.findUniqueOrThrow({ where: { id: host.payeeAccountId } });
    testbed.double.completeOnboarding(hostPayee.providerAccountId);
    expect(
      await connectPayeeAccount({
        actor: { type: "system", id: "system" },
        kind: "host_payable",
        orgId: w.hostA.org.id,
        returnPath: "/",
      }),
    ).toMatchObject({ onboardingStatus: "complete", onboardingUrl: null });
  });
});
