import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { checkLedger } from "@/lib/ledger/check-ledger";
import { getAccountBalances } from "@/lib/ledger/get-account-balances";
import { getPayeeStatement } from "@/lib/payouts/get-payee-statement";
import { reconcileProviderBalance } from "@/lib/payouts/reconcile-provider-balance";
import { userActor } from "@/lib/access/actor";
import { startFunding } from "@/lib/funding/start-funding";
import { cancelFunding } from "@/lib/funding/cancel-funding";
import { declareHostLineCost } from "@/lib/funding/declare-host-line-cost";
import { getReleaseLineFunding } from "@/lib/funding/get-release-line-funding";
import { listOwnFundings } from "@/lib/funding/list-own-fundings";
import { startFundingSchema } from "@/lib/funding/funding-input";
import { completeSimulatedFunding } from "@/lib/payments/complete-simulated-funding";
import { stripeClient } from "@/lib/payment-provider/stripe-client";
import { providerFor } from "@/lib/payment-provider/provider-for";
import { refundPayment } from "@/lib/payments/refund-payment";
import { decideRefundApproval } from "@/lib/payments/decide-refund-approval";
import { getFundingPaymentRefunds } from "@/lib/payments/get-funding-payment-refunds";
import { billSimulatedRenewals } from "@/lib/payment-provider/bill-simulated-renewals";
import { renewSimulatedFundings } from "@/lib/payments/renew-simulated-fundings";
import { useStripeDouble } from "../../support/stripe-testbed";
import { defined } from "../../support/defined";
import { seedActiveSplitPolicy, seedPaymentsWorld, seedReleaseLineRunBy } from "../../support/payments-factories";
import { seedOrg, seedUser } from "../../support/factories";

const stripe = useStripeDouble();
const deliver = stripe.deliver;

/** A release line run by the payments world's two hosts, and a funding policy all to the hosts. */
async function fundedLineWorld() {
  const w = await seedPaymentsWorld();
  await seedActiveSplitPolicy("LINE_FUNDING", "EUR");
  const line = await seedReleaseLineRunBy([w.hostA, w.hostB]);
  const { user: funder } = await seedUser({ name: "Ada Funder", email: `ada-${newId("e").slice(2, 10)}@example.test` });
  return { ...w, line, funder };
}

const input = (over: Record<string, unknown>) =>
  startFundingSchema.parse({ amount: "20.00", currency: "EUR", interval: "month", requestKey: newId("rk"), ...over });

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (e) {
    return e as { code: string; reason?: string };
  }
  throw new Error("expected a refusal");
}

describe("funding a release line monthly through Stripe subscriptions", () => {
  it("posts each paid invoice once, split to the line's hosts, and follows renewals, failures and the funder's cancellation", async () => {
    const w = await fundedLineWorld();
    const form = input({ releaseLineId: w.line.id, publicName: "Ada" });
    const started = await startFunding({ ...form, actor: userActor(w.funder.id) });
    // The same form twice is one funding and one checkout session (Stripe answers the replayed key).
    const again = await startFunding({ ...form, actor: userActor(w.funder.id) });
    expect(again).toEqual(started);
    const funding = await db().funding.findUniqueOrThrow({ where: { id: started.fundingId } });
    expect(funding).toMatchObject({ status: "pending", interval: "month", amountMinor: 2000n, provider: "stripe" });

    const session = stripe.double.paySession(defined(funding.providerSessionId));
    const subscriptionId = String(session.subscription);
    const invoice = stripe.double.invoiceOf(String(session.invoice));
    // Stripe does not promise the order: the invoice's payment may come before the checkout's completion.
    const paidEvent = stripe.double.event("invoice.paid", invoice);
    expect((await deliver(paidEvent)).body).toMatchObject({ outcome: "handled" });
    expect((await deliver(stripe.double.event("checkout.session.completed", session))).body).toMatchObject({
      outcome: "ignored",
    });
    // The same event again, and the same invoice in another event: nothing more.
    expect((await deliver(paidEvent)).body).toMatchObject({ duplicate: true });
    expect((await deliver(stripe.double.event("invoice.paid", invoice))).body).toMatchObject({
      outcome: "ignored",
      note: "invoice already recorded",
    });
    const payments = await db().fundingPayment.findMany({ where: { fundingId: funding.id } });
    expect(payments).toHaveLength(1);
    // 20.00 EUR less Stripe's fee (2.9% + 0.30 = 0.88): 19.12 EUR to the two hosts, equal shares (no usage).
    expect(payments[0]).toMatchObject({ amountMinor: 2000n, feeMinor: 88n, currency: "EUR" });
    const owed = await getAccountBalances({ kinds: ["host_payable"] });
    expect(owed.map((b) => b.balanceMinor).sort()).toEqual([-956, -956]);
    const active = await db().funding.findUniqueOrThrow({ where: { id: funding.id } });
    expect(active).toMatchObject({ status: "active", providerSubscriptionId: subscriptionId });
    expect(active.paidThrough).not.toBeNull();
    const statement = await getPayeeStatement(w.hostA.org.id);
    expect(statement.lines).toEqual([expect.objectContaining({ kind: "funding", channel: "funding", orderId: null })]);

    // A renewal: another invoice, another posting, the paid period extends.
    const renewal = stripe.double.renewSubscription(subscriptionId);
    expect((await deliver(stripe.double.event("invoice.paid", renewal))).body).toMatchObject({ outcome: "handled" });
    const renewed = await db().funding.findUniqueOrThrow({ where: { id: funding.id } });
    expect(defined(renewed.paidThrough).getTime()).toBeGreaterThan(defined(active.paidThrough).getTime());
    expect(await db().fundingPayment.count({ where: { fundingId: funding.id } })).toBe(2);

    // A renewal whose payment fails: past due while Stripe retries; nothing posted.
    const failed = stripe.double.renewSubscription(subscriptionId, "failed");
    expect((await deliver(stripe.double.event("invoice.paid", failed))).body).toMatchObject({ outcome: "ignored" });
    expect((await deliver(stripe.double.event("invoice.payment_failed", failed))).body).toMatchObject({
      outcome: "handled",
    });
    expect(await db().funding.findUniqueOrThrow({ where: { id: funding.id } })).toMatchObject({ status: "past_due" });
    expect(await db().fundingPayment.count({ where: { fundingId: funding.id } })).toBe(2);

    // Only the funder cancels, with a reason; it stops renewing at the paid period's end, once.
    const { user: stranger } = await seedUser();
    expect(
      await refusal(cancelFunding({ fundingId: funding.id, reason: "mine now", actor: userActor(stranger.id) })),
    ).toMatchObject({ code: "FORBIDDEN", reason: "NOT_THE_FUNDER" });
    expect(stripe.double.subscription(subscriptionId)?.cancel_at_period_end).toBe(false);
    const canceled = await cancelFunding({ fundingId: funding.id, reason: "moving on", actor: userActor(w.funder.id) });
    expect(canceled.status).toBe("canceling");
    expect(stripe.double.subscription(subscriptionId)?.cancel_at_period_end).toBe(true);
    expect(
      await refusal(cancelFunding({ fundingId: funding.id, reason: "again", actor: userActor(w.funder.id) })),
    ).toMatchObject({ code: "CONFLICT", reason: "ALREADY_CANCELED" });
    // The period ends at Stripe: the subscription is deleted, the funding canceled; a late update changes nothing.
    const ended = stripe.double.endSubscription(subscriptionId);
    expect((await deliver(stripe.double.event("customer.subscription.deleted", ended))).body).toMatchObject({
      outcome: "handled",
    });
    expect((await deliver(stripe.double.event("customer.subscription.updated", ended))).body).toMatchObject({
      outcome: "ignored",
    });
    expect(await db().funding.findUniqueOrThrow({ where: { id: funding.id } })).toMatchObject({
      status: "canceled",
      cancelReason: "moving on",
    });
    expect((await listOwnFundings(w.funder.id))[0]).toMatchObject({ id: funding.id, paidMinor: 4000n });
    expect(await db().auditEvent.count({ where: { subjectId: funding.id } })).toBeGreaterThanOrEqual(5);
    expect((await checkLedger()).ok).toBe(true);
    // Stripe's balance and the ledger agree: both paid invoices' charges are funders' payments, fee and all.
    const reconciled = await reconcileProviderBalance({
      from: new Date(Date.now() - 3_600_000),
      to: new Date(Date.now() + 60_000),
    });
    expect(reconciled).toMatchObject({ matched: 2, differences: [] });
  });

  it("a refund or dispute of a funder's payment takes the hosts' shares back proportionally, once", async () => {
    const w = await fundedLineWorld();
    const started = await startFunding({ ...input({ releaseLineId: w.line.id }), actor: userActor(w.funder.id) });
    const funding = await db().funding.findUniqueOrThrow({ where: { id: started.fundingId } });
    const session = stripe.double.paySession(defined(funding.providerSessionId));
    await deliver(stripe.double.event("invoice.paid", stripe.double.invoiceOf(String(session.invoice))));
    const payment = await db().fundingPayment.findFirstOrThrow({ where: { fundingId: funding.id } });
    const owed = async () => {
      const balances = [];
      for (const host of [w.hostA, w.hostB])
        balances.push((await getAccountBalances({ kinds: ["host_payable"], orgId: host.org.id }))[0].balanceMinor);
      return balances;
    };
    expect(await owed()).toEqual([-956, -956]);
    // The line's page counts what the hosts keep of it: 20.00 less the 0.88 fee, less what was taken back since.
    const received = async () =>
      (await getReleaseLineFunding(w.line.name)).coverage.find((c) => c.currency === "EUR")?.receivedNetMinor;
    expect(await received()).toBe(1912n);

    // A quarter refunded in Stripe's dashboard: each host gives back a quarter of its 9.56 (2.39).
    const refund = stripe.double.refundOutside(payment.paymentRef, 500);
    const created = stripe.double.event("refund.created", refund);
    expect((await deliver(created)).body).toMatchObject({ outcome: "handled" });
    expect(await owed()).toEqual([-717, -717]);
    expect(await received()).toBe(1434n);
    // Replayed, and seen again through the charge: nothing more.
    expect((await deliver(created)).body).toMatchObject({ duplicate: true });
    const charge = defined(stripe.double.chargeOfIntent(payment.paymentRef));
    expect((await deliver(stripe.double.event("charge.refunded", charge))).body).toMatchObject({ outcome: "ignored" });
    expect(await owed()).toEqual([-717, -717]);
    expect(await db().fundingPayment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({
      refundedMinor: 500n,
    });
    // The refund fails after all (a closed card): the money is back, so are the hosts' shares.
    const failed = stripe.double.failRefund(String(refund.id));
    expect((await deliver(stripe.double.event("refund.failed", failed))).body).toMatchObject({ outcome: "handled" });
    expect(await owed()).toEqual([-956, -956]);
    expect(await db().fundingPayment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({
      refundedMinor: 0n,
    });

    // A chargeback of the whole payment takes all of it back; won, it is owed again.
    const chargeback = {
      id: `du_${newId("x").slice(2, 12)}`,
      object: "dispute",
      amount: 2000,
      payment_intent: payment.paymentRef,
      status: "needs_response",
    };
    expect((await deliver(stripe.double.event("charge.dispute.created", chargeback))).body).toMatchObject({
      outcome: "handled",
    });
    expect(await owed()).toEqual([0, 0]);
    expect(await received()).toBe(0n);
    expect((await deliver(stripe.double.event("charge.dispute.funds_withdrawn", chargeback))).body).toMatchObject({
      outcome: "ignored",
    });
    expect((await deliver(stripe.double.event("charge.dispute.funds_reinstated", chargeback))).body).toMatchObject({
      outcome: "handled",
    });
    expect(await owed()).toEqual([-956, -956]);
    expect(await received()).toBe(1912n);
    expect(await db().fundingPayment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({
      refundedMinor: 0n,
      disputedMinor: 0n,
    });
    expect(await db().auditEvent.count({ where: { subjectType: "funding_payment", subjectId: payment.id } })).toBe(4);
    expect((await checkLedger()).ok).toBe(true);
  });

  it("a refund or dispute whose events all come before its payment's invoice.paid is held, then applied once with the payment", async () => {
    const w = await fundedLineWorld();
    const started = await startFunding({ ...input({ releaseLineId: w.line.id }), actor: userActor(w.funder.id) });
    const funding = await db().funding.findUniqueOrThrow({ where: { id: started.fundingId } });
    const session = stripe.double.paySession(defined(funding.providerSessionId));
    const invoice = stripe.double.invoiceOf(String(session.invoice));
    const paymentRef = defined((await providerFor("stripe").getFundingInvoice(String(invoice.id))).paymentRef);
    // Refunded in the dashboard at once; the refund's events and the charge's come before the invoice's.
    const refund = stripe.double.refundOutside(paymentRef, 500);
    expect((await deliver(stripe.double.event("refund.created", refund))).body).toMatchObject({
      outcome: "ignored",
      note: expect.stringContaining("held"),
    });
    const charge = defined(stripe.double.chargeOfIntent(paymentRef));
    expect((await deliver(stripe.double.event("charge.refunded", charge))).body).toMatchObject({ outcome: "ignored" });
    expect(await db().paymentAdjustment.count({ where: { providerRef: String(refund.id) } })).toBe(0);
    // Two chargebacks come before the invoice too: one is still open, the other is won before the payment posts.
    const dispute = (amount: number, status: string) => ({
      id: `du_${newId("x").slice(2, 12)}`,
      object: "dispute",
      amount,
      currency: "eur",
      payment_intent: paymentRef,
      status,
    });
    const open = dispute(500, "needs_response");
    const won = dispute(300, "needs_response");
    for (const d of [open, won])
      expect((await deliver(stripe.double.event("charge.dispute.created", d))).body).toMatchObject({
        outcome: "ignored",
        note: expect.stringContaining("held"),
      });
    // An inquiry takes no money: not held.
    const inquiry = dispute(200, "warning_needs_response");
    expect((await deliver(stripe.double.event("charge.dispute.created", inquiry))).body).toMatchObject({
      note: expect.stringContaining("inquiry"),
    });
    expect((await deliver(stripe.double.event("charge.dispute.closed", { ...won, status: "won" }))).body).toMatchObject(
      { outcome: "handled", note: "held" },
    );
    expect(await db().paymentAdjustment.count({ where: { kind: "dispute", providerRef: open.id } })).toBe(0);

    expect((await deliver(stripe.double.event("invoice.paid", invoice))).body).toMatchObject({ outcome: "handled" });
    const payment = await db().fundingPayment.findFirstOrThrow({ where: { fundingId: funding.id } });
    // The refund and the open dispute are taken; the won one was taken and given back.
    expect(payment).toMatchObject({ refundedMinor: 500n, disputedMinor: 500n });
    // 19.12 to the hosts less half of it: 4.78 each.
    for (const host of [w.hostA, w.hostB])
      expect((await getAccountBalances({ kinds: ["host_payable"], orgId: host.org.id }))[0].balanceMinor).toBe(-478);
    expect(
      await db().paymentAdjustment.findMany({
        where: { kind: "dispute", fundingPaymentId: payment.id },
        select: { providerRef: true, status: true },
        orderBy: { amountMinor: "desc" },
      }),
    ).toEqual([
      { providerRef: open.id, status: "posted" },
      { providerRef: won.id, status: "won" },
    ]);
    // The refund's and the disputes' later events, and the invoice again, find them recorded: once.
    expect((await deliver(stripe.double.event("refund.updated", refund))).body).toMatchObject({ outcome: "ignored" });
    expect((await deliver(stripe.double.event("charge.dispute.funds_withdrawn", open))).body).toMatchObject({
      outcome: "ignored",
    });
    expect((await deliver(stripe.double.event("charge.dispute.closed", { ...won, status: "won" }))).body).toMatchObject(
      { outcome: "ignored", note: "already_closed" },
    );
    expect((await deliver(stripe.double.event("invoice.paid", invoice))).body).toMatchObject({ outcome: "ignored" });
    expect(await db().paymentAdjustment.count({ where: { providerRef: String(refund.id) } })).toBe(1);
    expect(await db().heldProviderRefund.findFirstOrThrow({ where: { refundId: String(refund.id) } })).toMatchObject({
      appliedAt: expect.any(Date),
    });
    expect(await db().heldProviderDispute.count({ where: { paymentRef, appliedAt: null } })).toBe(0);
    // The open dispute, lost once the payment is recorded, is closed as a recorded one is: the money stays gone.
    expect(
      (await deliver(stripe.double.event("charge.dispute.closed", { ...open, status: "lost" }))).body,
    ).toMatchObject({ outcome: "handled", note: "closed" });
    expect((await db().paymentAdjustment.findFirstOrThrow({ where: { providerRef: open.id } })).status).toBe("lost");
    expect((await checkLedger()).ok).toBe(true);
  });

  it("finance refunds a funder's payment as it refunds an order: a second approver above the bar, the hosts' shares back", async () => {
    const w = await fundedLineWorld();
    const started = await startFunding({
      ...input({ hostSlug: w.hostA.org.slug, amount: "900.00", interval: "once" }),
      actor: userActor(w.funder.id),
    });
    const funding = await db().funding.findUniqueOrThrow({ where: { id: started.fundingId } });
    await deliver(
      stripe.double.event("checkout.session.completed", stripe.double.paySession(defined(funding.providerSessionId))),
    );
    const payment = await db().fundingPayment.findFirstOrThrow({ where: { fundingId: funding.id } });
    const owedA = async () =>
      (await getAccountBalances({ kinds: ["host_payable"], orgId: w.hostA.org.id }))[0].balanceMinor;
    // 900.00 less Stripe's 26.40: 873.60 to the one host funded.
    expect(await owedA()).toBe(-87360);
    const ask = (actorId: string, amountMinor: number, requestKey: string) =>
      refundPayment({
        actor: userActor(actorId),
        payment: { fundingPaymentId: payment.id },
        amountMinor,
        reason: "the funder asked",
        requestKey,
      });
    // Only finance refunds; the funder is refused, nothing changes.
    expect(await refusal(ask(w.funder.id, 1000, "by-funder"))).toMatchObject({ code: "FORBIDDEN" });
    // Below the bar: sent at once, and the same submission again is the same refund.
    const small = await ask(w.finance1.id, 10_000, "small-one");
    expect(small).toMatchObject({ status: "submitted", providerStatus: "succeeded", fundingPaymentId: payment.id });
    expect(await ask(w.finance1.id, 10_000, "small-one")).toMatchObject({ id: small.id, duplicate: true });
    // More than is left is refused; above the bar (500.00) it waits for another finance user.
    expect(await refusal(ask(w.finance1.id, 80_001, "too-much"))).toMatchObject({ reason: "AMOUNT_EXCEEDS_REMAINING" });
    const big = await ask(w.finance1.id, 60_000, "big-one");
    expect(big).toMatchObject({ status: "awaiting_approval", providerRefundId: null });
    expect(
      await refusal(decideRefundApproval({ actor: userActor(w.finance1.id), refundRequestId: big.id, approve: true })),
    ).toMatchObject({ reason: "SAME_APPROVER" });
    const approved = await decideRefundApproval({
      actor: userActor(w.finance2.id),
      refundRequestId: big.id,
      approve: true,
    });
    expect(approved).toMatchObject({ status: "submitted", providerStatus: "succeeded", approvedById: w.finance2.id });
    // The provider's own events of those refunds find them recorded.
    for (const refund of stripe.double.refundsOfIntent(payment.paymentRef))
      expect((await deliver(stripe.double.event("refund.created", refund))).body).toMatchObject({ outcome: "ignored" });
    expect(await db().fundingPayment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({
      refundedMinor: 70_000n,
    });
    // 700.00 of 900.00 went back: the host keeps 2/9 of its 873.60 (within a minor unit of rounding per refund).
    expect(Math.abs(Number(await owedA()) + 19_413)).toBeLessThanOrEqual(2);
    const view = await getFundingPaymentRefunds(payment.id);
    expect(view.lines.map((l) => l.status)).toEqual(["submitted", "submitted"]);
    expect(view.refundableNowMinor).toBe(20_000n);
    expect(
      await db().auditEvent.count({
        where: { subjectType: "funding_payment", subjectId: payment.id, action: "order.refund_requested" },
      }),
    ).toBe(2);
    expect((await checkLedger()).ok).toBe(true);
  });

  it("the line's page shows its hosts' cost, funders without personal data, and how long the funds cover", async () => {
    const w = await fundedLineWorld();
    // Only an operator of the host declares its cost, for a line it runs.
    const cost = { releaseLineId: w.line.id, monthlyCost: "15.00", currency: "EUR" };
    expect(
      await refusal(declareHostLineCost({ ...cost, hostSlug: w.hostA.org.slug, actor: userActor(w.funder.id) })),
    ).toMatchObject({ code: "FORBIDDEN" });
    await declareHostLineCost({ ...cost, hostSlug: w.hostA.org.slug, actor: userActor(w.hostA.admin.id) });
    await declareHostLineCost({ ...cost, hostSlug: w.hostB.org.slug, actor: userActor(w.hostB.admin.id) });

    const named = await startFunding({
      ...input({ releaseLineId: w.line.id, publicName: "Ada" }),
      actor: userActor(w.funder.id),
    });
    const { user: quiet } = await seedUser({
      name: "Quiet Person",
      email: `quiet-${newId("e").slice(2, 10)}@example.test`,
    });
    const anonymous = await startFunding({
      ...input({ hostSlug: w.hostB.org.slug, amount: "45.00", interval: "once" }),
      actor: userActor(quiet.id),
    });
    for (const id of [named.fundingId, anonymous.fundingId]) {
      const f = await db().funding.findUniqueOrThrow({ where: { id } });
      const session = stripe.double.paySession(defined(f.providerSessionId));
      await deliver(stripe.double.event("checkout.session.completed", session));
      if (session.invoice)
        await deliver(stripe.double.event("invoice.paid", stripe.double.invoiceOf(String(session.invoice))));
    }
    // The one-time funding of one host went to that host alone: 45.00 less the 1.60 fee.
    expect((await getAccountBalances({ kinds: ["host_payable"], orgId: w.hostB.org.id }))[0].balanceMinor).toBe(
      -(956 + 4340),
    );
    expect(await db().funding.findUniqueOrThrow({ where: { id: anonymous.fundingId } })).toMatchObject({
      status: "paid",
    });

    const view = await getReleaseLineFunding(w.line.name);
    expect(view.hosts.map((h) => h.monthlyCostMinor)).toEqual([1500n, 1500n]);
    expect(view.funders.map((f) => f.name).sort()).toEqual(["Ada", null]);
    // Nothing that names a funder who did not choose to be named, nor anybody's account.
    const shown = JSON.stringify(view, (_k, v) => (typeof v === "bigint" ? String(v) : v));
    for (const secret of [w.funder.id, w.funder.email, quiet.id, quiet.email, quiet.name])
      expect(shown).not.toContain(secret);
    // Needed 30.00 a month; 20.00 funded monthly; received 19.12 + 43.40 = 62.52 net: 2 months of cost.
    expect(view.coverage).toEqual([
      {
        currency: "EUR",
        neededMonthlyMinor: 3000n,
        fundedMonthlyMinor: 2000n,
        receivedNetMinor: 6252n,
        monthsCovered: 2,
      },
    ]);
  });

  it("the main line's page works on a fresh database, before the releases page was ever opened", async () => {
    expect(await db().releaseLine.count({ where: { name: "main" } })).toBe(0);
    const view = await getReleaseLineFunding("main");
    expect(view).toMatchObject({ line: { name: "main" }, hosts: [], funders: [], coverage: [] });
    // Asked again (or at once), still the one line.
    await Promise.all([getReleaseLineFunding("main"), getReleaseLineFunding("main")]);
    expect(await db().releaseLine.count({ where: { name: "main" } })).toBe(1);
    expect(await refusal(getReleaseLineFunding("no-such-line"))).toMatchObject({ reason: "UNKNOWN_RELEASE_LINE" });
  });

  it("refuses what cannot be funded with a clear reason, changing nothing", async () => {
    const w = await fundedLineWorld();
    const actor = userActor(w.funder.id);
    const emptyLine = await db().releaseLine.create({
      data: { id: newId("rl"), name: `empty-${newId("x").slice(2, 10)}` },
    });
    const started = () => db().auditEvent.count({ where: { action: "funding.started" } });
    const before = await db().funding.count();
    const auditedBefore = await started();
    const cases: [Record<string, unknown>, string][] = [
      [{ releaseLineId: w.line.id, amount: "20.001" }, "AMOUNT_INVALID"],
      [{ releaseLineId: w.line.id, amount: "0" }, "AMOUNT_OUT_OF_RANGE"],
      [{ releaseLineId: "rl_nope" }, "UNKNOWN_RELEASE_LINE"],
      [{ hostSlug: w.theater.org.slug }, "UNKNOWN_HOST"],
      [{ releaseLineId: emptyLine.id }, "NO_HOST_TO_FUND"],
      [{ releaseLineId: w.line.id, currency: "USD" }, "NO_ACTIVE_SPLIT_POLICY"],
      // Below Stripe's minimum charge: Stripe's own refusal, as a 422.
      [{ releaseLineId: w.line.id, amount: "0.20" }, "PROVIDER_REFUSED"],
    ];
    for (const [over, reason] of cases)
      expect(await refusal(startFunding({ ...input(over), actor })), reason).toMatchObject({ reason });
    // The schema refuses a name with control characters, and a funding of both a line and a host.
    expect(
      startFundingSchema.safeParse({ ...input({ releaseLineId: w.line.id }), publicName: "A\u0007" }).success,
    ).toBe(false);
    expect(
      startFundingSchema.safeParse({ ...input({ releaseLineId: w.line.id }), hostSlug: w.hostA.org.slug }).success,
    ).toBe(false);
    expect(await db().funding.count()).toBe(before);
    expect(await started()).toBe(auditedBefore);
    // Not paid yet: nothing to cancel. Paid once: nothing to cancel either.
    const pending = await startFunding({ ...input({ releaseLineId: w.line.id }), actor });
    expect(await refusal(cancelFunding({ fundingId: pending.fundingId, reason: "no thanks", actor }))).toMatchObject({
      reason: "NOT_STARTED",
    });
    const once = await startFunding({ ...input({ releaseLineId: w.line.id, interval: "once" }), actor });
    expect(await refusal(cancelFunding({ fundingId: once.fundingId, reason: "no thanks", actor }))).toMatchObject({
      reason: "NOT_RECURRING",
    });
    // The same form submitted twice at once: one funding, one session.
    const form = input({ releaseLineId: w.line.id });
    const [a, b] = await Promise.all([startFunding({ ...form, actor }), startFunding({ ...form, actor })]);
    expect(a).toEqual(b);
    const host = await seedOrg({ kind: "HOST" });
    await db().organization.update({ where: { id: host.org.id }, data: { status: "SUSPENDED" } });
    expect(await refusal(startFunding({ ...input({ hostSlug: host.org.slug }), actor }))).toMatchObject({
      reason: "NO_HOST_TO_FUND",
    });
  });

  it("with the simulated provider (the demo), the funder pays on the test page: once, or a month, and may stop it", async () => {
    const w = await fundedLineWorld();
    stripe.useSimulated();
    try {
      const actor = userActor(w.funder.id);
      const monthly = await startFunding({ ...input({ releaseLineId: w.line.id, publicName: "Ada" }), actor });
      expect(monthly.checkoutUrl).toContain(`/fund/simulated/${monthly.fundingId}`);
      // Only the funder pays it; a declined card changes nothing.
      const { user: stranger } = await seedUser();
      expect(
        await refusal(
          completeSimulatedFunding({
            funderUserId: stranger.id,
            fundingId: monthly.fundingId,
            cardNumber: "4242424242424242",
          }),
        ),
      ).toMatchObject({ reason: "FUNDING_NOT_FOUND" });
      expect(
        await completeSimulatedFunding({
          funderUserId: w.funder.id,
          fundingId: monthly.fundingId,
          cardNumber: "4000 0000 0000 0002",
        }),
      ).toMatchObject({
        result: "declined",
      });
      expect(await db().fundingPayment.count({ where: { fundingId: monthly.fundingId } })).toBe(0);
      // Paid, and paid again (a resubmitted page): one payment, split to the hosts.
      await completeSimulatedFunding({
        funderUserId: w.funder.id,
        fundingId: monthly.fundingId,
        cardNumber: "4242 4242 4242 4242",
      });
      await completeSimulatedFunding({
        funderUserId: w.funder.id,
        fundingId: monthly.fundingId,
        cardNumber: "4242 4242 4242 4242",
      });
      expect(await db().fundingPayment.count({ where: { fundingId: monthly.fundingId } })).toBe(1);
      const active = await db().funding.findUniqueOrThrow({ where: { id: monthly.fundingId } });
      expect(active).toMatchObject({ status: "active", provider: "simulated" });
      expect(active.paidThrough).not.toBeNull();
      const stopped = await cancelFunding({ fundingId: monthly.fundingId, reason: "trying it out", actor });
      expect(stopped).toMatchObject({ status: "canceling", endsAt: active.paidThrough });

      const once = await startFunding({
        ...input({ hostSlug: w.hostA.org.slug, interval: "once", amount: "5" }),
        actor,
      });
      await completeSimulatedFunding({
        funderUserId: w.funder.id,
        fundingId: once.fundingId,
        cardNumber: "4242424242424242",
      });
      expect(await db().funding.findUniqueOrThrow({ where: { id: once.fundingId } })).toMatchObject({ status: "paid" });
      expect(await db().fundingPayment.count({ where: { fundingId: once.fundingId } })).toBe(1);
      expect((await checkLedger()).ok).toBe(true);
    } finally {
      stripe.useStripe();
    }
  });

  it("the same form submitted after its simulated checkout expired opens a new session, which takes the payment", async () => {
    const w = await fundedLineWorld();
    stripe.useSimulated();
    try {
      const actor = userActor(w.funder.id);
      const form = input({ releaseLineId: w.line.id });
      const started = await startFunding({ ...form, actor });
      const first = defined(
        (await db().funding.findUniqueOrThrow({ where: { id: started.fundingId } })).providerSessionId,
      );
      // A day later the session is dead: paying it is refused, and the page says so.
      await db().simulatedProviderObject.update({
        where: { id: first },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });
      expect(
        await refusal(
          completeSimulatedFunding({
            funderUserId: w.funder.id,
            fundingId: started.fundingId,
            cardNumber: "4242424242424242",
          }),
        ),
      ).toMatchObject({
        reason: "CHECKOUT_EXPIRED",
      });
      // The same form again (twice, as a double click): one new session replaces it, audited once.
      const again = await startFunding({ ...form, actor });
      expect(await startFunding({ ...form, actor })).toEqual(again);
      expect(again.fundingId).toBe(started.fundingId);
      const second = defined(
        (await db().funding.findUniqueOrThrow({ where: { id: started.fundingId } })).providerSessionId,
      );
      expect(second).not.toBe(first);
      const replaced = await db().auditEvent.findMany({
        where: { action: "funding.checkout_replaced", subjectId: started.fundingId },
      });
      expect(replaced).toHaveLength(1);
      // A session about to end is expired at the provider before it is replaced, so it can never take payment.
      const soon = new Date(Date.now() + 60_000);
      await db().simulatedProviderObject.update({ where: { id: second }, data: { expiresAt: soon } });
      await startFunding({ ...form, actor });
      const third = defined(
        (await db().funding.findUniqueOrThrow({ where: { id: started.fundingId } })).providerSessionId,
      );
      expect(third).not.toBe(second);
      const old = await db().simulatedProviderObject.findUniqueOrThrow({ where: { id: second } });
      expect(defined(old.expiresAt).getTime()).toBeLessThan(soon.getTime());
      // The live session takes the payment: one payment, the funding active.
      await completeSimulatedFunding({
        funderUserId: w.funder.id,
        fundingId: started.fundingId,
        cardNumber: "4242424242424242",
      });
      expect(await db().funding.findUniqueOrThrow({ where: { id: started.fundingId } })).toMatchObject({
        status: "active",
      });
      expect(await db().fundingPayment.count({ where: { fundingId: started.fundingId } })).toBe(1);
      // Paid, the form again is refused with what is true.
      expect(await refusal(startFunding({ ...form, actor }))).toMatchObject({ reason: "ALREADY_PAID" });
      // Left active: the renewal test below bills it too, as the production sweep would, and must not be misled.
    } finally {
      stripe.useStripe();
    }
  });

  it("a Stripe subscription event naming a funding of another provider changes nothing", async () => {
    const w = await fundedLineWorld();
    stripe.useSimulated();
    let simulatedFundingId: string;
    try {
      simulatedFundingId = (
        await startFunding({ ...input({ releaseLineId: w.line.id }), actor: userActor(w.funder.id) })
      ).fundingId;
    } finally {
      stripe.useStripe();
    }
    // A subscription in Guildhall's own Stripe account whose metadata names the simulated funding, ended there.
    const client = stripeClient({ secretKey: "sk_test_guildhall", apiBase: stripe.double.url });
    const session = await client.checkout.sessions.create({
      mode: "subscription",
      success_url: "http://localhost/s",
      cancel_url: "http://localhost/c",
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: "eur",
            unit_amount: 2000,
            product_data: { name: "x" },
            recurring: { interval: "month" },
          },
        },
      ],
      subscription_data: { metadata: { fundingId: simulatedFundingId } },
    });
    const ended = stripe.double.endSubscription(String(stripe.double.paySession(session.id).subscription));
    expect(await deliver(stripe.double.event("customer.subscription.deleted", ended))).toMatchObject({
      status: 200,
      body: { outcome: "ignored" },
    });
    expect(await db().funding.findUniqueOrThrow({ where: { id: simulatedFundingId } })).toMatchObject({
      provider: "simulated",
      status: "pending",
      providerSubscriptionId: null,
    });
  });

  it("the simulated provider renews a monthly funding each period, posts each payment once, and honours a stop", async () => {
    const w = await fundedLineWorld();
    stripe.useSimulated();
    try {
      const actor = userActor(w.funder.id);
      const { fundingId } = await startFunding({ ...input({ releaseLineId: w.line.id }), actor });
      await completeSimulatedFunding({ funderUserId: w.funder.id, fundingId, cardNumber: "4242424242424242" });
      const sub = await db().simulatedProviderObject.findFirstOrThrow({
        where: { kind: "subscription", sourceRef: fundingId },
      });
      const firstEnd = defined(sub.expiresAt);
      const at = (days: number) => new Date(firstEnd.getTime() + days * 86_400_000 + 60_000);
      const hostsOwed = async () =>
        (await getAccountBalances({ kinds: ["host_payable"], orgId: w.hostA.org.id }))[0].balanceMinor +
        (await getAccountBalances({ kinds: ["host_payable"], orgId: w.hostB.org.id }))[0].balanceMinor;
      const payments = () => db().fundingPayment.count({ where: { fundingId } });
      // The sweep bills every due subscription in the database, as production's does; what earlier tests left
      // there is billed too, so each round is judged by this funding's own invoices, payments and end.
      const invoices = () => db().simulatedProviderObject.count({ where: { kind: "invoice", sourceRef: sub.id } });
      const round = async (now: Date) => {
        const before = await invoices();
        const result = await renewSimulatedFundings({ now });
        const billedHere = (await invoices()) - before;
        // The round's own count includes this funding's periods (it may include others').
        expect(result.billed).toBeGreaterThanOrEqual(billedHere);
        return billedHere;
      };
      // Before the period ends, nothing is billed.
      expect(await round(new Date(firstEnd.getTime() - 60_000))).toBe(0);
      expect(await payments()).toBe(1);
      // A round cut short after billing (a crash before Guildhall was told): the next round posts it, once.
      expect((await billSimulatedRenewals(at(0))).billed).toBeGreaterThanOrEqual(1);
      expect(await invoices()).toBe(2);
      expect(await payments()).toBe(1);
      const before = await invoices();
      const rounds = await Promise.all([
        renewSimulatedFundings({ now: at(0) }),
        renewSimulatedFundings({ now: at(0) }),
      ]);
      expect(await invoices()).toBe(before);
      expect(rounds.reduce((n, r) => n + r.posted, 0)).toBeGreaterThanOrEqual(1);
      expect(await payments()).toBe(2);
      // 20.00 less the simulated fee (1.4 % + 0.25 = 0.53), twice, split to the two hosts.
      expect(await hostsOwed()).toBe(-2 * 1947);
      expect((await db().funding.findUniqueOrThrow({ where: { id: fundingId } })).paidThrough).toEqual(
        new Date(firstEnd.getTime() + 30 * 86_400_000),
      );
      // Two periods overdue (the portal was stopped): both billed and posted in one round.
      expect(await round(at(60))).toBe(2);
      expect(await payments()).toBe(4);
      expect(await round(at(60))).toBe(0);
      expect(await payments()).toBe(4);
      expect(await hostsOwed()).toBe(-4 * 1947);
      // The funder stops it: at the paid period's end it ends, Guildhall is told once, and nothing more is charged.
      await cancelFunding({ fundingId, reason: "moving on", actor });
      const endedEvents = () =>
        db().paymentEvent.count({
          where: { provider: "simulated", eventId: `sim_evt_subscription_deleted_${sub.id}` },
        });
      expect(await round(at(90))).toBe(0);
      expect(await db().simulatedProviderObject.findUniqueOrThrow({ where: { id: sub.id } })).toMatchObject({
        destination: "canceled",
      });
      expect(await endedEvents()).toBe(1);
      expect(await round(at(200))).toBe(0);
      expect(await endedEvents()).toBe(1);
      expect(await db().funding.findUniqueOrThrow({ where: { id: fundingId } })).toMatchObject({ status: "canceled" });
      expect(await payments()).toBe(4);
      // Each payment is one of this subscription's invoices, and nothing in the database, this funding's or
      // another's, was billed twice for one period.
      const ownInvoices = await db().simulatedProviderObject.findMany({
        where: { kind: "invoice", sourceRef: sub.id },
        select: { id: true },
      });
      const paid = await db().fundingPayment.findMany({ where: { fundingId }, select: { providerRef: true } });
      expect(paid.map((p) => p.providerRef).sort()).toEqual(ownInvoices.map((i) => i.id).sort());
      expect(
        await db().$queryRaw`
          SELECT "sourceRef", "createdAt" FROM "SimulatedProviderObject"
           WHERE "kind" = 'invoice' GROUP BY 1, 2 HAVING count(*) > 1`,
      ).toEqual([]);
      expect((await checkLedger()).ok).toBe(true);
    } finally {
      stripe.useStripe();
    }
  });

  it("the Stripe double refuses subscription checkouts Stripe refuses", async () => {
    const client = stripeClient({ secretKey: "sk_test_guildhall", apiBase: stripe.double.url });
    const base = {
      success_url: "http://localhost/s",
      cancel_url: "http://localhost/c",
    };
    const recurringItem = {
      quantity: 1,
      price_data: {
        currency: "eur",
        unit_amount: 2000,
        product_data: { name: "x" },
        recurring: { interval: "month" as const },
      },
    };
    await expect(
      client.checkout.sessions.create({ ...base, mode: "payment", line_items: [recurringItem] }),
    ).rejects.toThrow(/recurring price/);
    await expect(
      client.checkout.sessions.create({
        ...base,
        mode: "subscription",
        line_items: [recurringItem],
        payment_intent_data: { metadata: { a: "b" } },
      }),
    ).rejects.toThrow(/payment_intent_data/);
    await expect(
      client.checkout.sessions.create({
        ...base,
        mode: "subscription",
        line_items: [{ ...recurringItem, price_data: { ...recurringItem.price_data, recurring: undefined } }],
      }),
    ).rejects.toThrow(/at least one recurring price/);
    await expect(client.subscriptions.update("sub_missing", { cancel_at_period_end: true })).rejects.toThrow(
      /No such subscription/,
    );
  });
});
