// The route harness first: it sets up the request scope Next's modules expect before they load (the pages rendered).
import "next-test-api-route-handler";
import { randomUUID } from "node:crypto";
import { googlePlayPush } from "@/tests/support/store-notifications";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { isAppError } from "@/lib/errors/app-error";
import { checkLedger } from "@/lib/ledger/check-ledger";
import { drainOutbox } from "@/lib/outbox/kick-outbox";
import { resetAppStoresConfigForTests } from "@/lib/config/app-stores";
import { createLicensePlan } from "@/lib/licensing/create-license-plan";
import { addStoreProduct } from "@/lib/app-stores/store-products";
import { processGooglePlayNotification } from "@/lib/app-stores/process-google-play-notification";
import LineFundingPage from "@/app/funding/[line]/page";
import OwnFundingPage from "@/app/account/funding/page";
import { renderPage } from "@/tests/support/page-harness";
import { tableRowWith } from "@/tests/support/table-row";
import { sweepGooglePlay } from "@/lib/app-stores/sweep-google-play";
import { POST as googleWebhook } from "@/app/api/webhooks/google-play/route";
import { refundOrder } from "@/lib/payments/refund-order";
import { channelTotals, listRecentOrders } from "@/lib/payments/list-recent-orders";
import { userActor } from "@/lib/access/actor";
import { setFundingPublicName } from "@/lib/funding/set-funding-public-name";
import { getReleaseLineFunding } from "@/lib/funding/get-release-line-funding";
import { resolveFinanceAlert } from "@/lib/finance-alerts/resolve-finance-alert";
import { sessionCookieFor } from "@/tests/support/route-harness";
import { seedUser } from "@/tests/support/factories";
import { seedActiveSplitPolicy, seedReleaseLineRunBy } from "@/tests/support/payments-factories";
import { type GooglePlayDouble, startGooglePlayDouble } from "@/tests/support/google-play-double";
import { seedStoreCatalog } from "./store-catalog";

const PACKAGE = "org.guildhall.app";
const AUDIENCE = "https://portal.test/api/webhooks/google-play";
const PUSH_ACCOUNT = "play-rtdn@guildhall-test.iam.gserviceaccount.com";
const TICKET = "ticket_hamlet";
const LICENSE = "license_monthly";
const DAY_MS = 86_400_000;

let google: GooglePlayDouble;
let world: Awaited<ReturnType<typeof setup>>;

async function setup() {
  google = await startGooglePlayDouble({ packageName: PACKAGE, audience: AUDIENCE, pushAccount: PUSH_ACCOUNT });
  Object.assign(process.env, {
    GOOGLE_PLAY_PACKAGE_NAME: PACKAGE,
    GOOGLE_PLAY_PUSH_AUDIENCE: AUDIENCE,
    GOOGLE_PLAY_PUSH_SERVICE_ACCOUNT: PUSH_ACCOUNT,
    GOOGLE_PLAY_PUSH_JWKS_URL: google.jwksUrl,
    GOOGLE_PLAY_SERVICE_ACCOUNT_KEY_PATH: google.keyPath,
    GOOGLE_PLAY_API_BASE: google.base,
    GOOGLE_PLAY_COMMISSION_BPS: "1500",
  });
  resetAppStoresConfigForTests();
  return seedStoreCatalog("google", { ticket: TICKET, license: LICENSE });
}

beforeAll(async () => {
  world = await setup();
});
afterAll(async () => {
  await google?.close();
  // Every purchase, subscription and order the tests set had Google's shape.
  expect(google?.fixtureErrors).toEqual([]);
});

let serial = 0;
const nextOrderId = () => `GPA.3312-${String(++serial).padStart(4, "0")}-${Date.now() % 100000}`;
/** Google's Money of an amount in minor units of a two-decimal currency. */
const money = (minor: number, currencyCode: string) => ({
  currencyCode,
  units: String(Math.floor(minor / 100)),
  nanos: (minor % 100) * 10_000_000,
});
const eur = (minor: number) => money(minor, "EUR");

/** A one-time purchase as Google holds it: the purchase and its order. */
function sellTicket(over: { quantity?: number; totalMinor?: number; accountToken?: string; sku?: string } = {}) {
  const token = `tok-${randomUUID()}`;
  const orderId = nextOrderId();
  const sku = over.sku ?? TICKET;
  google.products.set(token, {
    productLineItem: [
      {
        productId: sku,
        productOfferDetails: {
          quantity: over.quantity ?? 1,
          refundableQuantity: over.quantity ?? 1,
          consumptionState: "CONSUMPTION_STATE_YET_TO_BE_CONSUMED",
          purchaseOptionId: "buy",
        },
      },
    ],
    orderId,
    purchaseCompletionTime: new Date().toISOString(),
    purchaseStateContext: { purchaseState: "PURCHASED" },
    acknowledgementState: "ACKNOWLEDGEMENT_STATE_PENDING",
    ...(over.accountToken ? { obfuscatedExternalAccountId: over.accountToken } : {}),
    regionCode: "FR",
  });
  google.orders.set(orderId, {
    orderId,
    purchaseToken: token,
    state: "PROCESSED",
    createTime: new Date().toISOString(),
    total: eur(over.totalMinor ?? 1299),
    lineItems: [{ productId: sku, total: eur(over.totalMinor ?? 1299) }],
  });
  return { token, orderId, sku };
}

/** Pub/Sub's push of a developer notification, with its OIDC token. */
async function push(
  notification: object,
  opts: { messageId?: string; authorization?: string | null; at?: number } = {},
) {
  return processGooglePlayNotification({
    authorization: opts.authorization === undefined ? `Bearer ${await google.pushToken({})}` : opts.authorization,
    body: googlePlayPush(notification, { packageName: PACKAGE, at: opts.at, messageId: opts.messageId }),
  });
}

const purchased = (p: { token: string; sku: string }) => ({
  oneTimeProductNotification: { version: "1.0", notificationType: 1, purchaseToken: p.token, sku: p.sku },
});

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (e) {
    if (isAppError(e)) return { status: e.statusCode, reason: e.reason };
    throw e;
  }
  throw new Error("expected a refusal");
}

const orderOf = (orderId: string) =>
  db().paymentOrder.findUniqueOrThrow({
    where: { idempotencyScope_idempotencyKey: { idempotencyScope: "store:google", idempotencyKey: orderId } },
  });

async function counts() {
  return {
    orders: await db().paymentOrder.count(),
    events: await db().paymentEvent.count({ where: { provider: "google" } }),
    postings: await db().ledgerPosting.count(),
    licenses: await db().license.count(),
    jobs: await db().outboxJob.count(),
  };
}

describe("Google Play one-time products (tickets)", () => {
  it("records a purchase as a paid order with the commission as the fee, acknowledges it, once", async () => {
    const sale = sellTicket({ quantity: 2, totalMinor: 2598, accountToken: world.strangerToken });
    const messageId = randomUUID();
    expect(await push(purchased(sale), { messageId })).toMatchObject({ duplicate: false, outcome: "handled" });
    const order = await orderOf(sale.orderId);
    // 25.98 EUR, 15% commission rounded half up: 3.90 EUR.
    expect(order).toMatchObject({ status: "paid", provider: "google", amountMinor: 2598n, feeMinor: 390n });
    expect(order.createdById).toBe(world.stranger.id);
    const ticket = await db().ticketSale.findUniqueOrThrow({ where: { orderId: order.id } });
    expect(ticket).toMatchObject({ showId: "show-hamlet", quantity: 2, externalRef: `google:${sale.orderId}` });

    await drainOutbox();
    expect(google.products.get(sale.token)?.acknowledgementState).toBe("ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED");

    // The same message redelivered, and the same purchase in another message: no second order.
    const before = await counts();
    expect(await push(purchased(sale), { messageId })).toMatchObject({ duplicate: true });
    expect(await push(purchased(sale))).toMatchObject({ duplicate: false });
    expect(await counts()).toEqual({ ...before, events: before.events + 1 });
    expect((await checkLedger()).ok).toBe(true);
  });

  it("one message pushed to two instances at once, and the purchase in two messages at once, make one order", async () => {
    const sale = sellTicket();
    const messageId = randomUUID();
    const results = await Promise.all([
      push(purchased(sale), { messageId }),
      push(purchased(sale), { messageId }),
      push(purchased(sale)),
    ]);
    expect(results.filter((r) => r.duplicate)).toHaveLength(1);
    expect(await db().paymentOrder.count({ where: { providerPaymentRef: sale.orderId } })).toBe(1);
    expect(await db().storeTransaction.count({ where: { store: "google", transactionId: sale.orderId } })).toBe(1);
  });

  it("the webhook route answers Pub/Sub: 200 once recorded, 401 without a good token", async () => {
    const sale = sellTicket();
    const body = () => googlePlayPush(purchased(sale), { packageName: PACKAGE, messageId: `m-${sale.orderId}` });
    const call = async (authorization: string) =>
      googleWebhook(
        new Request("http://localhost/api/webhooks/google-play", {
          method: "POST",
          headers: { "content-type": "application/json", authorization },
          body: JSON.stringify(body()),
        }),
        { params: Promise.resolve({}) },
      );
    expect((await call("Bearer not.a.token")).status).toBe(401);
    const ok = await call(`Bearer ${await google.pushToken({})}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ received: true, duplicate: false, outcome: "handled" });
  });

  it("refuses a bad push token, another app, an unknown product or purchase with a clear 4xx, changing nothing", async () => {
    const sale = sellTicket();
    const before = await counts();
    const bad = { status: 401, reason: "BAD_PUSH_TOKEN" };
    const withToken = async (authorization: string | null) => refusal(push(purchased(sale), { authorization }));
    expect(await withToken(null)).toEqual(bad);
    expect(await withToken(`Bearer ${await google.pushToken({}, { key: "foreign" })}`)).toEqual(bad);
    expect(await withToken(`Bearer ${await google.pushToken({ aud: "https://elsewhere.test/" })}`)).toEqual(bad);
    expect(await withToken(`Bearer ${await google.pushToken({ email: "someone@else.test" })}`)).toEqual(bad);
    expect(await withToken(`Bearer ${await google.pushToken({ email_verified: false })}`)).toEqual(bad);
    expect(await withToken(`Bearer ${await google.pushToken({ iss: "https://evil.test" })}`)).toEqual(bad);
    const past = Math.floor(Date.now() / 1000) - 7200;
    expect(await withToken(`Bearer ${await google.pushToken({ iat: past, exp: past + 3600 })}`)).toEqual(bad);
    const tampered = (await google.pushToken({})).replace(/\.([^.]+)\./, (_, p) => {
      const claims = JSON.parse(Buffer.from(p, "base64url").toString());
      return `.${Buffer.from(JSON.stringify({ ...claims, email: PUSH_ACCOUNT, aud: AUDIENCE, x: 1 })).toString("base64url")}.`;
    });
    expect(await withToken(`Bearer ${tampered}`)).toEqual(bad);

    const otherApp = processGooglePlayNotification({
      authorization: `Bearer ${await google.pushToken({})}`,
      body: googlePlayPush(purchased(sale), { packageName: "org.other", at: 1, messageId: "x" }),
    });
    expect(await refusal(otherApp)).toEqual({ status: 400, reason: "WRONG_APP" });
    expect(
      await refusal(processGooglePlayNotification({ authorization: `Bearer ${await google.pushToken({})}`, body: {} })),
    ).toEqual({ status: 400, reason: "MALFORMED_NOTIFICATION" });
    expect(await refusal(push(purchased({ token: "tok-unknown", sku: TICKET })))).toEqual({
      status: 400,
      reason: "PURCHASE_NOT_FOUND",
    });
    const unmapped = sellTicket({ sku: "ticket_unmapped" });
    expect(await refusal(push(purchased(unmapped)))).toEqual({ status: 422, reason: "UNKNOWN_PRODUCT" });
    // productsv2 may hold several products in one purchase; an order sells one product's tickets.
    const mixed = sellTicket();
    const lines = google.products.get(mixed.token)?.productLineItem as Record<string, unknown>[];
    lines.push({ productId: "ticket_other", productOfferDetails: { quantity: 1 } });
    expect(await refusal(push(purchased(mixed)))).toEqual({ status: 422, reason: "SEVERAL_PRODUCTS" });
    expect(await counts()).toEqual(before);
    await drainOutbox();
    expect(google.products.get(unmapped.token)?.acknowledgementState).toBe("ACKNOWLEDGEMENT_STATE_PENDING");
  });

  it("a pending purchase makes no order; it is recorded once Google says it is paid", async () => {
    const sale = sellTicket();
    const held = google.products.get(sale.token) as Record<string, unknown>;
    held.purchaseStateContext = { purchaseState: "PENDING" };
    expect(await push(purchased(sale))).toMatchObject({ outcome: "ignored" });
    expect(await db().paymentOrder.count({ where: { providerPaymentRef: sale.orderId } })).toBe(0);
    held.purchaseStateContext = { purchaseState: "PURCHASED" };
    expect(await push(purchased(sale))).toMatchObject({ outcome: "handled" });
    expect(await db().paymentOrder.count({ where: { providerPaymentRef: sale.orderId } })).toBe(1);
  });
});

describe("Google Play refunds (voided purchases)", () => {
  const voided = (sale: { token: string; orderId: string }, refundType = 1) => ({
    voidedPurchaseNotification: { purchaseToken: sale.token, orderId: sale.orderId, productType: 2, refundType },
  });

  it("a full refund reverses the split and gives the commission back, once", async () => {
    const sale = sellTicket({ totalMinor: 2000 });
    await push(purchased(sale));
    const messageId = randomUUID();
    expect(await push(voided(sale), { messageId })).toMatchObject({ outcome: "handled" });
    const order = await orderOf(sale.orderId);
    expect(order.refundedMinor).toBe(2000n);
    const entries = await db().journalEntry.findMany({ where: { orderId: order.id } });
    const postings = await db().ledgerPosting.findMany({ where: { entryId: { in: entries.map((e) => e.id) } } });
    const balance = (account: string) =>
      postings.filter((p) => p.accountId === account).reduce((sum, p) => sum + p.amountMinor, 0n);
    // After a full refund the store holds nothing for us and the org bears no fee.
    expect(balance("processor_clearing:-:EUR")).toBe(0n);
    expect(balance("processor_fees:-:EUR")).toBe(0n);
    expect(balance(`theater_payable:${world.theater.id}:EUR`)).toBe(0n);
    const before = await counts();
    expect(await push(voided(sale), { messageId })).toMatchObject({ duplicate: true });
    expect(await push(voided(sale))).toMatchObject({ outcome: "ignored" });
    expect(await counts()).toEqual({ ...before, events: before.events + 1 });
    expect((await checkLedger()).ok).toBe(true);
  });

  it("a refund whose purchase was never notified records the purchase, then the refund; partial refunds add up", async () => {
    const sale = sellTicket({ quantity: 3, totalMinor: 3000 });
    const order = google.orders.get(sale.orderId) as Record<string, unknown>;
    order.state = "PARTIALLY_REFUNDED";
    order.orderHistory = { partialRefundEvents: [{ refundDetails: { total: eur(1000) } }] };
    expect(await push(voided(sale, 2))).toMatchObject({ outcome: "handled" });
    expect(await orderOf(sale.orderId)).toMatchObject({ status: "paid", amountMinor: 3000n, refundedMinor: 1000n });
    order.orderHistory = {
      partialRefundEvents: [{ refundDetails: { total: eur(1000) } }, { refundDetails: { total: eur(1000) } }],
    };
    await push(voided(sale, 2));
    await push(voided(sale, 2));
    expect((await orderOf(sale.orderId)).refundedMinor).toBe(2000n);
    expect((await checkLedger()).ok).toBe(true);
  });
});

/** A subscription as Google holds it, with the order of its latest payment. */
function subscribe(accountToken: string, product = LICENSE, priceMinor = 4999) {
  const token = `sub-${randomUUID()}`;
  const sub = {
    startTime: new Date().toISOString(),
    subscriptionState: "SUBSCRIPTION_STATE_ACTIVE",
    acknowledgementState: "ACKNOWLEDGEMENT_STATE_PENDING",
    externalAccountIdentifiers: { obfuscatedExternalAccountId: accountToken },
    lineItems: [
      {
        productId: product,
        expiryTime: "",
        latestSuccessfulOrderId: "",
        autoRenewingPlan: { autoRenewEnabled: true, recurringPrice: eur(priceMinor) },
        offerDetails: { basePlanId: "monthly" },
      },
    ],
  };
  google.subscriptions.set(token, sub);
  const first = nextOrderId();
  let payments = 0;
  // Google's renewal orders are the first order's id followed by ..0, ..1, and so on. A period may be billed
  // at another price or in another currency (the price changed, the buyer moved to another storefront), and
  // be made at a given time (its order's createTime, the period's purchase time).
  const pay = (expiresAt: number, over: { priceMinor?: number; currency?: string; at?: number } = {}) => {
    const orderId = payments === 0 ? first : `${first}..${payments - 1}`;
    payments += 1;
    const total = money(over.priceMinor ?? priceMinor, over.currency ?? "EUR");
    google.orders.set(orderId, {
      orderId,
      purchaseToken: token,
      state: "PROCESSED",
      createTime: new Date(over.at ?? Date.now()).toISOString(),
      total,
      lineItems: [
        {
          productId: product,
          total,
          subscriptionDetails: { basePlanId: "monthly", servicePeriodEndTime: new Date(expiresAt).toISOString() },
        },
      ],
    });
    Object.assign(sub.lineItems[0], {
      latestSuccessfulOrderId: orderId,
      expiryTime: new Date(expiresAt).toISOString(),
    });
    return orderId;
  };
  return { token, sub, pay };
}

describe("Google Play subscriptions (licenses)", () => {
  const notify = (token: string, notificationType: number, at: number) =>
    push({ subscriptionNotification: { version: "1.0", notificationType, purchaseToken: token } }, { at });
  const subscriptionOf = (token: string) =>
    db().storeSubscription.findUniqueOrThrow({
      where: { store_originalTransactionId: { store: "google", originalTransactionId: token } },
    });

  it("a purchase activates the theater's license; renewal, grace, hold and expiry follow Google's event time", async () => {
    const t0 = Date.now();
    const s = subscribe(world.adminToken);
    const firstOrder = s.pay(t0 + 30 * DAY_MS);
    expect(await notify(s.token, 4, t0)).toMatchObject({ outcome: "handled" });
    const { licenseId } = await subscriptionOf(s.token);
    const license = await db().license.findUniqueOrThrow({ where: { id: licenseId } });
    expect(license).toMatchObject({ status: "ACTIVE", theaterOrgId: world.theater.id, createdById: world.admin.id });
    expect(await orderOf(firstOrder)).toMatchObject({
      productKind: "LICENSE_SALE",
      amountMinor: 4999n,
      feeMinor: 750n,
    });
    await drainOutbox();
    expect(s.sub.acknowledgementState).toBe("ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED");

    const renewalOrder = s.pay(t0 + 60 * DAY_MS);
    await notify(s.token, 2, t0 + 1000);
    const renewed = await db().license.findUniqueOrThrow({ where: { id: licenseId } });
    expect(renewed.validUntil?.getTime()).toBe((license.validUntil?.getTime() ?? 0) + 30 * DAY_MS);
    expect(await orderOf(renewalOrder)).toMatchObject({ status: "paid" });
    expect(await db().licenseOrder.count({ where: { licenseId } })).toBe(2);

    // Payment fails: Google keeps access to the grace period's end (its expiry time), so does the license.
    const graceUntil = (renewed.validUntil?.getTime() ?? 0) + 7 * DAY_MS;
    Object.assign(s.sub, { subscriptionState: "SUBSCRIPTION_STATE_IN_GRACE_PERIOD" });
    s.sub.lineItems[0].expiryTime = new Date(graceUntil).toISOString();
    await notify(s.token, 6, t0 + 2000);
    expect((await subscriptionOf(s.token)).state).toBe("grace_period");
    expect((await db().license.findUniqueOrThrow({ where: { id: licenseId } })).validUntil?.getTime()).toBe(graceUntil);

    s.sub.subscriptionState = "SUBSCRIPTION_STATE_ON_HOLD";
    await notify(s.token, 5, t0 + 3000);
    expect((await subscriptionOf(s.token)).state).toBe("on_hold");
    s.sub.subscriptionState = "SUBSCRIPTION_STATE_EXPIRED";
    await notify(s.token, 13, t0 + 5000);
    // A late, older notification, read while Google says active, does not bring the subscription back.
    s.sub.subscriptionState = "SUBSCRIPTION_STATE_ACTIVE";
    await notify(s.token, 7, t0 + 4000);
    expect((await subscriptionOf(s.token)).state).toBe("expired");
    expect(await db().licenseOrder.count({ where: { licenseId } })).toBe(2);
  });

  it("a revocation suspends the license; a license bought with a stranger's token is refused, nothing changed", async () => {
    const s = subscribe(world.adminToken);
    s.pay(Date.now() + 30 * DAY_MS);
    await notify(s.token, 4, Date.now());
    const { licenseId } = await subscriptionOf(s.token);
    s.sub.subscriptionState = "SUBSCRIPTION_STATE_EXPIRED";
    await notify(s.token, 12, Date.now());
    await drainOutbox();
    expect((await db().license.findUniqueOrThrow({ where: { id: licenseId } })).status).toBe("SUSPENDED");

    const stranger = subscribe(world.strangerToken);
    stranger.pay(Date.now() + 30 * DAY_MS);
    const before = await counts();
    expect(await refusal(notify(stranger.token, 4, Date.now()))).toEqual({
      status: 403,
      reason: "BUYER_NOT_THEATER_ADMIN",
    });
    expect(await counts()).toEqual(before);
  });
});

describe("Google Play subscriptions that fund a release line", () => {
  /** A release line both hosts run, funded in EUR, and a Play subscription product that funds it. */
  async function fundedLine() {
    await seedActiveSplitPolicy("LINE_FUNDING", "EUR");
    const name = `play-line-${randomUUID().slice(0, 8)}`;
    const line = await seedReleaseLineRunBy([world.hostA, world.hostB], name);
    const FUND = `fund_${name}`;
    await addStoreProduct({
      store: "google",
      productId: FUND,
      kind: "funding",
      releaseLineName: name,
      actor: { type: "system", id: "test" },
    });
    return { name, line, FUND };
  }
  const notify = (token: string, notificationType: number, at: number) =>
    push({ subscriptionNotification: { version: "1.0", notificationType, purchaseToken: token } }, { at });

  it("a purchase opens the funder's funding; renewals add funds to the hosts; cancellation, refunds and expiry follow Google", async () => {
    const { name, line, FUND } = await fundedLine();
    const t0 = Date.now();
    const s = subscribe(world.strangerToken, FUND, 500);
    const firstOrder = s.pay(t0 + 30 * DAY_MS);
    expect(await notify(s.token, 4, t0)).toMatchObject({ outcome: "handled" });
    const funding = await db().funding.findFirstOrThrow({
      where: { provider: "google", providerSubscriptionId: s.token },
    });
    expect(funding).toMatchObject({
      releaseLineId: line.id,
      funderUserId: world.stranger.id,
      interval: "month",
      amountMinor: 500n,
      status: "active",
    });
    const first = await db().fundingPayment.findFirstOrThrow({
      where: { provider: "google", providerRef: firstOrder },
    });
    // 5.00 EUR less Google's 15% (0.75): 4.25 EUR to the two hosts (largest remainder), no order made.
    expect(first).toMatchObject({ fundingId: funding.id, amountMinor: 500n, feeMinor: 75n });
    const hostPostings = await db().ledgerPosting.findMany({
      where: { entryId: first.journalEntryId, accountId: { startsWith: "host_payable:" } },
    });
    expect(hostPostings.map((p) => Number(p.amountMinor)).sort((a, b) => a - b)).toEqual([-213, -212]);
    expect(await db().paymentOrder.count({ where: { idempotencyKey: firstOrder } })).toBe(0);
    // Acknowledged after commit, as an order's purchase is (else Google refunds it after three days).
    await drainOutbox();
    expect(s.sub.acknowledgementState).toBe("ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED");

    const renewal = s.pay(t0 + 60 * DAY_MS);
    await notify(s.token, 2, t0 + 1000);
    await notify(s.token, 2, t0 + 1000);
    expect(await db().fundingPayment.count({ where: { fundingId: funding.id } })).toBe(2);
    expect((await db().funding.findUniqueOrThrow({ where: { id: funding.id } })).paidThrough?.getTime()).toBe(
      t0 + 60 * DAY_MS,
    );
    // As the pages show it, once the funder chose a name: the line's page (to anyone, signed out here) names
    // them and the channel in the funding's row; the funder's own page says Google Play takes it, in that row.
    await setFundingPublicName({ fundingId: funding.id, publicName: "Grace H.", actor: userActor(world.stranger.id) });
    const lineRow = tableRowWith(await renderPage(LineFundingPage, { params: { line: name } }), "Grace H.");
    expect(lineRow).toContain("Google Play subscription");
    expect(lineRow).toContain("5.00");
    const ownPage = await renderPage(OwnFundingPage, {}, await sessionCookieFor(world.stranger.id));
    const ownRow = tableRowWith(ownPage, 'value="Grace H."');
    expect(ownRow).toContain(`the ${name} line`);
    expect(ownRow).toContain("Paid in Google Play");

    // The funder turns renewal off in Play: it runs to its paid end.
    s.sub.subscriptionState = "SUBSCRIPTION_STATE_CANCELED";
    await notify(s.token, 3, t0 + 2000);
    expect(await db().funding.findUniqueOrThrow({ where: { id: funding.id } })).toMatchObject({ status: "canceling" });

    // Google refunds the renewal: the hosts give their shares back, Google its fee, once.
    const voided = {
      voidedPurchaseNotification: { purchaseToken: s.token, orderId: renewal, productType: 1, refundType: 1 },
    };
    expect(await push(voided)).toMatchObject({ outcome: "handled" });
    expect(await push(voided)).toMatchObject({ outcome: "ignored" });
    const refunded = await db().fundingPayment.findFirstOrThrow({
      where: { provider: "google", providerRef: renewal },
    });
    expect(refunded.refundedMinor).toBe(500n);
    const refund = await db().paymentAdjustment.findFirstOrThrow({ where: { fundingPaymentId: refunded.id } });
    const back = await db().ledgerPosting.findMany({
      where: { entryId: { in: [refunded.journalEntryId, refund.journalEntryId, `je_commission_${refund.id}`] } },
    });
    const balance = (account: string) =>
      back.filter((p) => p.accountId === account).reduce((sum, p) => sum + p.amountMinor, 0n);
    expect(balance("processor_clearing:-:EUR")).toBe(0n);
    expect(balance("processor_fees:-:EUR")).toBe(0n);
    expect(balance(`host_payable:${world.hostA.org.id}:EUR`)).toBe(0n);

    // Expired, it ended; a late, older notification read while Google says active does not bring it back.
    s.sub.subscriptionState = "SUBSCRIPTION_STATE_EXPIRED";
    await notify(s.token, 13, t0 + 4000);
    s.sub.subscriptionState = "SUBSCRIPTION_STATE_ACTIVE";
    await notify(s.token, 7, t0 + 3000);
    expect(await db().funding.findUniqueOrThrow({ where: { id: funding.id } })).toMatchObject({ status: "canceled" });

    // Another funding whose expiry's notification was lost: past its paid end, the sweep reads it again.
    const lost = subscribe(world.strangerToken, FUND, 500);
    lost.pay(Date.now() - DAY_MS);
    await notify(lost.token, 4, Date.now() - 2 * DAY_MS);
    lost.sub.subscriptionState = "SUBSCRIPTION_STATE_EXPIRED";
    const swept = await sweepGooglePlay({ days: 1 });
    expect(swept.refused).toEqual([]);
    expect(await db().funding.findFirstOrThrow({ where: { providerSubscriptionId: lost.token } })).toMatchObject({
      status: "canceled",
    });
    expect((await checkLedger()).ok).toBe(true);
  });

  it("a renewal at a new price sets the funding's monthly amount; a late, older period at the old price leaves it", async () => {
    const { name, FUND } = await fundedLine();
    const t0 = Date.now() - 60_000;
    const s = subscribe(world.strangerToken, FUND, 500);
    const firstOrder = s.pay(t0 + 30 * DAY_MS, { at: t0 });
    await notify(s.token, 4, t0);
    const funding = await db().funding.findFirstOrThrow({
      where: { provider: "google", providerSubscriptionId: s.token },
    });
    expect(funding.amountMinor).toBe(500n);

    // Google bills the second period (its notification lost) and the third at the new price, 6.00 EUR.
    const missed = s.pay(t0 + 60 * DAY_MS, { at: t0 + 1000 });
    const dearer = s.pay(t0 + 90 * DAY_MS, { priceMinor: 600, at: t0 + 2000 });
    expect(await notify(s.token, 2, t0 + 2000)).toMatchObject({ outcome: "handled" });
    expect(await db().funding.findUniqueOrThrow({ where: { id: funding.id } })).toMatchObject({ amountMinor: 600n });
    expect(
      await db().fundingPayment.findFirstOrThrow({ where: { provider: "google", providerRef: dearer } }),
    ).toMatchObject({ fundingId: funding.id, amountMinor: 600n, feeMinor: 90n });
    const changed = await db().auditEvent.findMany({
      where: { action: "funding.amount_changed", subjectId: funding.id },
    });
    expect(changed.map((e) => e.data)).toEqual([
      expect.objectContaining({ from: "500", to: "600", transactionId: dearer }),
    ]);
    // The same renewal pushed again changes nothing more.
    await notify(s.token, 2, t0 + 2500);
    expect(await db().auditEvent.count({ where: { action: "funding.amount_changed", subjectId: funding.id } })).toBe(1);

    // Google refunds the missed second period: the refund records that older period first, at its own price,
    // then refunds it; being older than the funding's latest period, it leaves the monthly amount at 6.00.
    const voided = {
      voidedPurchaseNotification: { purchaseToken: s.token, orderId: missed, productType: 1, refundType: 1 },
    };
    expect(await push(voided)).toMatchObject({ outcome: "handled" });
    expect(
      await db().fundingPayment.findFirstOrThrow({ where: { provider: "google", providerRef: missed } }),
    ).toMatchObject({ fundingId: funding.id, amountMinor: 500n, refundedMinor: 500n });
    expect(await db().funding.findUniqueOrThrow({ where: { id: funding.id } })).toMatchObject({ amountMinor: 600n });
    expect(await db().auditEvent.count({ where: { action: "funding.amount_changed", subjectId: funding.id } })).toBe(1);

    // Each period is recorded at the price it was paid; the line's page adds up what the funding brings a month now.
    const payments = await db().fundingPayment.findMany({
      where: { fundingId: funding.id },
      orderBy: { paidAt: "asc" },
    });
    expect(payments.map((p) => [p.providerRef, p.amountMinor])).toEqual([
      [firstOrder, 500n],
      [missed, 500n],
      [dearer, 600n],
    ]);
    // What was received counts what the hosts keep: 5.00 and 6.00 less Google's 15%, the refunded period nothing.
    expect((await getReleaseLineFunding(name)).coverage.find((c) => c.currency === "EUR")).toMatchObject({
      fundedMonthlyMinor: 600n,
      receivedNetMinor: 425n + 510n,
    });
    expect((await checkLedger()).ok).toBe(true);
  });

  it("a renewal in a currency without a funding policy is refused and tells finance once while open, and again after finance resolved it", async () => {
    const { FUND } = await fundedLine();
    const t0 = Date.now() - 60_000;
    const s = subscribe(world.strangerToken, FUND, 500);
    s.pay(t0 + 30 * DAY_MS, { at: t0 });
    await notify(s.token, 4, t0);
    const funding = await db().funding.findFirstOrThrow({
      where: { provider: "google", providerSubscriptionId: s.token },
    });

    // The funder moved to a Swiss storefront: Google renews in CHF, which no LINE_FUNDING policy covers.
    const chf = s.pay(t0 + 60 * DAY_MS, { priceMinor: 550, currency: "CHF", at: t0 + 1000 });
    const alertKey = `store-funding-no-policy:google:${s.token}:CHF`;
    const alertsOf = () => db().financeAlert.findMany({ where: { key: alertKey }, orderBy: { createdAt: "asc" } });
    const before = await counts();
    const paymentsBefore = await db().fundingPayment.count();
    // Pub/Sub redelivers the refused message until it is answered 2xx: each try is refused, changing nothing.
    const messageId = randomUUID();
    for (let attempt = 0; attempt < 2; attempt++)
      expect(await refusal(notifyAs(s.token, messageId, t0 + 1000))).toEqual({
        status: 422,
        reason: "NO_ACTIVE_SPLIT_POLICY",
      });
    expect(await db().fundingPayment.count()).toBe(paymentsBefore);
    expect({ ...(await counts()), jobs: before.jobs }).toEqual(before);
    expect(await db().funding.findUniqueOrThrow({ where: { id: funding.id } })).toMatchObject({
      currency: "EUR",
      status: "active",
    });
    // Finance is told once, in the alert's own transaction (the refused one kept nothing), and mailed.
    const [alert] = await alertsOf();
    expect(await alertsOf()).toHaveLength(1);
    expect(alert).toMatchObject({ kind: "store_funding_no_policy", resolvedAt: null });
    expect(alert.message).toContain(chf);
    expect(alert.message).toContain("CHF");
    const mailsOf = () => db().mailMessage.count({ where: { template: "finance-alert" } });
    const mailed = await mailsOf();

    // Finance marks it looked after without approving a policy yet; the next retry is still refused, and the
    // condition is back: a new alert, mailed again. The resolved one stays resolved.
    await resolveFinanceAlert({ actor: userActor(world.finance1.id), alertId: alert.id, reason: "asked the board" });
    expect(await refusal(notifyAs(s.token, messageId, t0 + 1000))).toMatchObject({ reason: "NO_ACTIVE_SPLIT_POLICY" });
    const alerts = await alertsOf();
    expect(alerts).toEqual([
      expect.objectContaining({ id: alert.id, resolvedById: world.finance1.id, openKey: null }),
      expect.objectContaining({ kind: "store_funding_no_policy", resolvedAt: null, openKey: alertKey }),
    ]);
    expect(await mailsOf()).toBeGreaterThan(mailed);
    expect(await refusal(notifyAs(s.token, messageId, t0 + 1000))).toMatchObject({ reason: "NO_ACTIVE_SPLIT_POLICY" });
    expect(await alertsOf()).toHaveLength(2);

    // Finance approves a CHF policy: the retry records the period, in CHF, on the subscription's CHF funding.
    await seedActiveSplitPolicy("LINE_FUNDING", "CHF");
    expect(await notifyAs(s.token, messageId, t0 + 1000)).toMatchObject({ outcome: "handled" });
    const chfPayment = await db().fundingPayment.findFirstOrThrow({ where: { provider: "google", providerRef: chf } });
    expect(chfPayment).toMatchObject({ currency: "CHF", amountMinor: 550n });
    expect(await db().funding.findUniqueOrThrow({ where: { id: chfPayment.fundingId } })).toMatchObject({
      currency: "CHF",
      status: "active",
      providerSubscriptionId: s.token,
    });
    expect(await db().funding.findUniqueOrThrow({ where: { id: funding.id } })).toMatchObject({ status: "canceled" });
    expect(await alertsOf()).toHaveLength(2);
    expect((await checkLedger()).ok).toBe(true);
  });
});

/** A renewal's subscription notification in a message of a given id (Pub/Sub redelivers a refused one as is). */
function notifyAs(token: string, messageId: string, at: number) {
  return push(
    { subscriptionNotification: { version: "1.0", notificationType: 2, purchaseToken: token } },
    { at, messageId },
  );
}

describe("Google Play resubscription", () => {
  it("a subscription that replaces another (linkedPurchaseToken) keeps the theater's license", async () => {
    const old = subscribe(world.adminToken);
    old.pay(Date.now() + 10 * DAY_MS);
    const t0 = Date.now();
    await push(
      { subscriptionNotification: { version: "1.0", notificationType: 4, purchaseToken: old.token } },
      { at: t0 },
    );
    const { licenseId } = await db().storeSubscription.findUniqueOrThrow({
      where: { store_originalTransactionId: { store: "google", originalTransactionId: old.token } },
    });
    const licenses = await db().license.count();
    const next = subscribe(world.adminToken);
    Object.assign(next.sub, { linkedPurchaseToken: old.token });
    const order = next.pay(Date.now() + 40 * DAY_MS);
    await push(
      { subscriptionNotification: { version: "1.0", notificationType: 4, purchaseToken: next.token } },
      { at: t0 + 1000 },
    );
    expect(await db().license.count()).toBe(licenses);
    const applied = await db().licenseOrder.findUniqueOrThrow({ where: { orderId: (await orderOf(order)).id } });
    expect(applied.licenseId).toBe(licenseId);
  });

  it("a replacing purchase of another product (an upgrade) moves the license to that product's plan", async () => {
    const { user: orgAdmin } = await seedUser({ roles: ["ORG_ADMIN"] });
    const bigger = await createLicensePlan({
      name: "Monthly, three venues",
      termDays: 30,
      priceMinor: 9999,
      currency: "EUR",
      entitlements: { venues: 3 },
      actor: { type: "user", id: orgAdmin.id },
    });
    const BIG = `org.guildhall.license.big.${randomUUID()}`;
    await addStoreProduct({
      store: "google",
      productId: BIG,
      kind: "license",
      theaterOrgId: world.theater.id,
      planId: bigger.id,
      actor: { type: "system", id: "test" },
    });
    const old = subscribe(world.adminToken);
    old.pay(Date.now() + 10 * DAY_MS);
    const t0 = Date.now();
    await push(
      { subscriptionNotification: { version: "1.0", notificationType: 4, purchaseToken: old.token } },
      { at: t0 },
    );
    const { licenseId } = await db().storeSubscription.findUniqueOrThrow({
      where: { store_originalTransactionId: { store: "google", originalTransactionId: old.token } },
    });
    const next = subscribe(world.adminToken);
    Object.assign(next.sub, { linkedPurchaseToken: old.token });
    next.sub.lineItems[0].productId = BIG;
    next.pay(Date.now() + 40 * DAY_MS);
    await push(
      { subscriptionNotification: { version: "1.0", notificationType: 4, purchaseToken: next.token } },
      { at: t0 + 1000 },
    );
    expect(await db().license.findUniqueOrThrow({ where: { id: licenseId } })).toMatchObject({
      planId: bigger.id,
      entitlements: { venues: 3 },
    });
    expect(
      await db().storeSubscription.findUniqueOrThrow({
        where: { store_originalTransactionId: { store: "google", originalTransactionId: next.token } },
      }),
    ).toMatchObject({ licenseId, productId: BIG });
  });
});

describe("Google Play plan changes", () => {
  type Item = Record<string, unknown> & { productId: string };
  let plans: { monthly: string; bigger: string };
  const ADDON = `license_addon_${randomUUID().slice(0, 8)}`;
  const ADDON2 = `license_addon2_${randomUUID().slice(0, 8)}`;
  const BIG = `license_big_${randomUUID().slice(0, 8)}`;
  const notify = (token: string, notificationType: number, at: number) =>
    push({ subscriptionNotification: { version: "1.0", notificationType, purchaseToken: token } }, { at });
  const licenseOf = async (token: string) => {
    const { licenseId } = await db().storeSubscription.findUniqueOrThrow({
      where: { store_originalTransactionId: { store: "google", originalTransactionId: token } },
    });
    return db().license.findUniqueOrThrow({ where: { id: licenseId } });
  };
  /** An order of a subscription as Google holds it: its lines, each with the period it pays for. */
  const order = (token: string, lines: { productId: string; totalMinor: number; until: number }[]) => {
    const orderId = nextOrderId();
    google.orders.set(orderId, {
      orderId,
      purchaseToken: token,
      state: "PROCESSED",
      createTime: new Date().toISOString(),
      total: eur(lines.reduce((sum, l) => sum + l.totalMinor, 0)),
      lineItems: lines.map((l) => ({
        productId: l.productId,
        total: eur(l.totalMinor),
        subscriptionDetails: { basePlanId: "monthly", servicePeriodEndTime: new Date(l.until).toISOString() },
      })),
    });
    return orderId;
  };
  const item = (
    productId: string,
    orderId: string | null,
    until: number,
    over: Record<string, unknown> = {},
  ): Item => ({
    productId,
    ...(orderId ? { latestSuccessfulOrderId: orderId, expiryTime: new Date(until).toISOString() } : {}),
    autoRenewingPlan: { autoRenewEnabled: true, recurringPrice: eur(4999) },
    offerDetails: { basePlanId: "monthly" },
    ...over,
  });
  const subscription = (lineItems: Item[]) => {
    const token = `sub-${randomUUID()}`;
    const sub = {
      startTime: new Date().toISOString(),
      subscriptionState: "SUBSCRIPTION_STATE_ACTIVE",
      acknowledgementState: "ACKNOWLEDGEMENT_STATE_PENDING",
      externalAccountIdentifiers: { obfuscatedExternalAccountId: world.adminToken },
      lineItems,
    };
    google.subscriptions.set(token, sub);
    return { token, sub };
  };

  beforeAll(async () => {
    const { user: orgAdmin } = await seedUser({ roles: ["ORG_ADMIN"] });
    const admin = { type: "user" as const, id: orgAdmin.id };
    const monthly = await db().storeProduct.findUniqueOrThrow({
      where: { store_productId: { store: "google", productId: LICENSE } },
    });
    const bigger = await createLicensePlan({
      name: "Monthly, three venues",
      termDays: 30,
      priceMinor: 9999,
      currency: "EUR",
      entitlements: { venues: 3 },
      actor: admin,
    });
    plans = { monthly: String(monthly.planId), bigger: bigger.id };
    const cli = { type: "system" as const, id: "test" };
    // An add-on mapped to its base's plan, and a product of another plan.
    for (const productId of [ADDON, ADDON2])
      await addStoreProduct({
        store: "google",
        productId,
        kind: "license",
        theaterOrgId: world.theater.id,
        planId: plans.monthly,
        actor: cli,
      });
    await addStoreProduct({
      store: "google",
      productId: BIG,
      kind: "license",
      theaterOrgId: world.theater.id,
      planId: plans.bigger,
      actor: cli,
    });
  });

  it("several line items: one order for the base and its add-on, an item added later pays its own prorated order to the same end, one removed is gone from the renewal; items of two plans are refused", async () => {
    const t0 = Date.now();
    const end = t0 + 30 * DAY_MS;
    const s = subscription([]);
    const first = order(s.token, [
      { productId: LICENSE, totalMinor: 4999, until: end },
      { productId: ADDON, totalMinor: 1001, until: end },
    ]);
    s.sub.lineItems.push(item(LICENSE, first, end), item(ADDON, first, end));
    expect(await notify(s.token, 4, t0)).toMatchObject({ outcome: "handled" });
    // One order for what the buyer paid in all, 15% of it the commission; the license runs to Google's end.
    expect(await orderOf(first)).toMatchObject({ productKind: "LICENSE_SALE", amountMinor: 6000n, feeMinor: 900n });
    const license = await licenseOf(s.token);
    expect(license).toMatchObject({ status: "ACTIVE", planId: plans.monthly });
    expect(license.validUntil?.getTime()).toBe(end);
    await drainOutbox();
    expect(s.sub.acknowledgementState).toBe("ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED");

    // A second add-on bought in the period: Google bills it prorated to the same end, in an order of its own.
    const added = order(s.token, [{ productId: ADDON2, totalMinor: 480, until: end }]);
    s.sub.lineItems.push(item(ADDON2, added, end));
    expect(await notify(s.token, 17, t0 + 1000)).toMatchObject({
      outcome: "handled",
      note: expect.stringContaining("SUBSCRIPTION_ITEMS_CHANGED"),
    });
    expect(await orderOf(added)).toMatchObject({ status: "paid", amountMinor: 480n, feeMinor: 72n });
    // It pays for no more time: the license still ends where Google's period does.
    expect((await licenseOf(s.token)).validUntil?.getTime()).toBe(end);
    expect(await db().licenseOrder.count({ where: { licenseId: license.id } })).toBe(2);

    // An item of another plan beside them: a license has one plan, so nothing is recorded. The notification
    // is answered 200 (a retry would meet the same answer) and finance is told, once.
    const other = order(s.token, [{ productId: BIG, totalMinor: 5000, until: end }]);
    s.sub.lineItems.push(item(BIG, other, end));
    const before = await counts();
    for (const at of [t0 + 2000, t0 + 2100])
      expect(await notify(s.token, 17, at)).toMatchObject({
        outcome: "ignored",
        note: expect.stringContaining("several plans"),
      });
    expect({ ...(await counts()), events: before.events, jobs: before.jobs }).toEqual(before);
    expect(await db().paymentEvent.count({ where: { provider: "google" } })).toBe(before.events + 2);
    expect(await db().paymentOrder.count({ where: { idempotencyScope: "store:google", idempotencyKey: other } })).toBe(
      0,
    );
    expect(await db().financeAlert.findMany({ where: { key: `store-several-plans:google:${s.token}` } })).toEqual([
      expect.objectContaining({ kind: "store_purchase_not_recorded", resolvedAt: null }),
    ]);
    expect((await licenseOf(s.token)).planId).toBe(plans.monthly);

    // Google took the other plan's item back; the second add-on is removed at the renewal, which bills the rest.
    s.sub.lineItems.pop();
    s.sub.lineItems[2].deferredItemRemoval = {};
    expect(await notify(s.token, 17, t0 + 3000)).toMatchObject({
      note: expect.stringContaining(`${ADDON2} removed at renewal`),
    });
    const next = end + 30 * DAY_MS;
    const renewal = order(s.token, [
      { productId: LICENSE, totalMinor: 4999, until: next },
      { productId: ADDON, totalMinor: 1001, until: next },
    ]);
    s.sub.lineItems = [item(LICENSE, renewal, next), item(ADDON, renewal, next)];
    expect(await notify(s.token, 2, t0 + 4000)).toMatchObject({ outcome: "handled" });
    expect(await orderOf(renewal)).toMatchObject({ amountMinor: 6000n, feeMinor: 900n });
    expect((await licenseOf(s.token)).validUntil?.getTime()).toBe(next);
    expect(await db().licenseOrder.count({ where: { licenseId: license.id } })).toBe(3);
    expect((await checkLedger()).ok).toBe(true);
  });

  it("a deferred replacement changes nothing until the renewal that bills the new product, which moves the license to its plan", async () => {
    const t0 = Date.now();
    const s = subscription([]);
    const first = order(s.token, [{ productId: LICENSE, totalMinor: 4999, until: t0 + 30 * DAY_MS }]);
    s.sub.lineItems.push(item(LICENSE, first, t0 + 30 * DAY_MS));
    await notify(s.token, 4, t0);
    const license = await licenseOf(s.token);

    // A deferred replacement by a product nobody mapped: the notification is recorded as usual, and finance is
    // told now, while the product can still be mapped, not at the renewal that would be refused.
    const UNMAPPED = `license_unmapped_${randomUUID().slice(0, 8)}`;
    s.sub.lineItems[0].deferredItemReplacement = { productId: UNMAPPED };
    expect(await notify(s.token, 17, t0 + 500)).toMatchObject({
      outcome: "handled",
      note: expect.stringContaining(`renews into ${UNMAPPED}, not mapped: finance alerted`),
    });
    const alertKey = `store-unmapped-renewal:google:${s.token}:${UNMAPPED}`;
    expect(await db().financeAlert.findFirstOrThrow({ where: { key: alertKey } })).toMatchObject({
      kind: "store_unmapped_product",
      resolvedAt: null,
    });

    // Deferred: the old item says what replaces it; the new one has no order yet.
    s.sub.lineItems[0].deferredItemReplacement = { productId: BIG };
    s.sub.lineItems.push(item(BIG, null, 0));
    const before = await counts();
    expect(await notify(s.token, 17, t0 + 1000)).toMatchObject({
      outcome: "handled",
      note: expect.stringContaining(`${LICENSE} replaced by ${BIG} at renewal`),
    });
    expect({ ...(await counts()), events: before.events }).toEqual(before);
    expect(await licenseOf(s.token)).toMatchObject({ planId: plans.monthly, entitlements: { venues: 1 } });

    // The renewal bills the new product: its order, the license on its plan, running to Google's new end.
    const renewal = order(s.token, [{ productId: BIG, totalMinor: 9999, until: t0 + 60 * DAY_MS }]);
    s.sub.lineItems = [item(BIG, renewal, t0 + 60 * DAY_MS)];
    expect(await notify(s.token, 2, t0 + 2000)).toMatchObject({ outcome: "handled" });
    expect(await orderOf(renewal)).toMatchObject({ status: "paid", amountMinor: 9999n, feeMinor: 1500n });
    const moved = await licenseOf(s.token);
    expect(moved).toMatchObject({ id: license.id, planId: plans.bigger, entitlements: { venues: 3 } });
    expect(moved.validUntil?.getTime()).toBe(t0 + 60 * DAY_MS);
    expect(await db().auditEvent.count({ where: { action: "license.plan_changed", subjectId: license.id } })).toBe(1);
    expect((await checkLedger()).ok).toBe(true);
  });

  it("a price change is noted while pending and paid at the renewal that charges it; a step-up never consented lapses", async () => {
    const t0 = Date.now();
    const s = subscription([]);
    const first = order(s.token, [{ productId: LICENSE, totalMinor: 4999, until: t0 + 30 * DAY_MS }]);
    s.sub.lineItems.push(item(LICENSE, first, t0 + 30 * DAY_MS));
    await notify(s.token, 4, t0);
    const plan = s.sub.lineItems[0].autoRenewingPlan as Record<string, unknown>;
    plan.priceChangeDetails = {
      newPrice: eur(5499),
      priceChangeMode: "PRICE_INCREASE",
      priceChangeState: "OUTSTANDING",
      expectedNewPriceChargeTime: new Date(t0 + 30 * DAY_MS).toISOString(),
    };
    const before = await counts();
    expect(await notify(s.token, 19, t0 + 1000)).toMatchObject({
      note: expect.stringMatching(
        /SUBSCRIPTION_PRICE_CHANGE_UPDATED.*price 54\.99 EUR \(PRICE_INCREASE, OUTSTANDING\)/,
      ),
    });
    (plan.priceChangeDetails as Record<string, unknown>).priceChangeState = "CONFIRMED";
    expect(await notify(s.token, 8, t0 + 2000)).toMatchObject({ note: expect.stringContaining("CONFIRMED") });
    expect({ ...(await counts()), events: before.events }).toEqual(before);

    // The renewal charges the new price: that is the order's amount, its commission and its split.
    const renewal = order(s.token, [{ productId: LICENSE, totalMinor: 5499, until: t0 + 60 * DAY_MS }]);
    (plan.priceChangeDetails as Record<string, unknown>).priceChangeState = "APPLIED";
    plan.recurringPrice = eur(5499);
    s.sub.lineItems[0] = {
      ...s.sub.lineItems[0],
      latestSuccessfulOrderId: renewal,
      expiryTime: new Date(t0 + 60 * DAY_MS).toISOString(),
    };
    const renewed = await notify(s.token, 2, t0 + 3000);
    expect(renewed.note).not.toContain("price");
    expect(await orderOf(renewal)).toMatchObject({ status: "paid", amountMinor: 5499n, feeMinor: 825n });
    expect((await licenseOf(s.token)).validUntil?.getTime()).toBe(t0 + 60 * DAY_MS);

    // A step-up that needs consent: noted; not given by the deadline, Google cancels, and the license runs out.
    // Its state is one of Google's names: a name Google does not use is no fixture the double answers.
    plan.priceStepUpConsentDetails = {
      newPrice: eur(6999),
      state: "CONSENT_STATE_PENDING",
      consentDeadlineTime: new Date(t0 + 50 * DAY_MS).toISOString(),
    };
    await expect(notify(s.token, 22, t0 + 3500)).rejects.toThrow();
    expect(google.fixtureErrors.splice(0)).toEqual([
      "priceStepUpConsentDetails.state CONSENT_STATE_PENDING is not one of Google's",
    ]);
    (plan.priceStepUpConsentDetails as Record<string, unknown>).state = "PENDING";
    expect(await notify(s.token, 22, t0 + 4000)).toMatchObject({
      note: expect.stringContaining("price step-up to 69.99 EUR: consent PENDING"),
    });
    s.sub.subscriptionState = "SUBSCRIPTION_STATE_CANCELED";
    plan.autoRenewEnabled = false;
    await notify(s.token, 3, t0 + 5000);
    expect(
      (
        await db().storeSubscription.findUniqueOrThrow({
          where: { store_originalTransactionId: { store: "google", originalTransactionId: s.token } },
        })
      ).state,
    ).toBe("canceled");
    expect(await licenseOf(s.token)).toMatchObject({ status: "ACTIVE" });
    expect((await licenseOf(s.token)).validUntil?.getTime()).toBe(t0 + 60 * DAY_MS);
    expect((await checkLedger()).ok).toBe(true);
  });
});

describe("Google Play reconciliation", () => {
  it("the sweep records refunds and renewals whose notifications never arrived, once", async () => {
    const sale = sellTicket({ totalMinor: 1500 });
    await push(purchased(sale));
    google.voided.push({
      purchaseToken: sale.token,
      orderId: sale.orderId,
      purchaseTimeMillis: String(Date.now() - 60_000),
      voidedTimeMillis: String(Date.now() - 1000),
      voidedSource: 0,
      voidedReason: 1,
    });
    const s = subscribe(world.adminToken);
    s.pay(Date.now() - DAY_MS);
    await push(
      { subscriptionNotification: { version: "1.0", notificationType: 4, purchaseToken: s.token } },
      { at: Date.now() - 2 * DAY_MS },
    );
    const renewal = s.pay(Date.now() + 29 * DAY_MS);

    const report = await sweepGooglePlay({ days: 3 });
    expect(report).toMatchObject({ voidedSeen: 1, refunded: 1, recorded: 1, refused: [] });
    expect((await orderOf(sale.orderId)).refundedMinor).toBe(1500n);
    expect(await orderOf(renewal)).toMatchObject({ status: "paid", amountMinor: 4999n });
    const sub = await db().storeSubscription.findUniqueOrThrow({
      where: { store_originalTransactionId: { store: "google", originalTransactionId: s.token } },
    });
    expect(sub.state).toBe("active");
    const before = await counts();
    expect(await sweepGooglePlay({ days: 3 })).toMatchObject({ voidedSeen: 1, refunded: 0, recorded: 0 });
    expect(await counts()).toEqual(before);
  });
});

describe("finance and store orders", () => {
  it("a store order cannot be refunded from Guildhall: refused with a clear reason", async () => {
    const sale = sellTicket();
    await push(purchased(sale));
    const order = await orderOf(sale.orderId);
    const attempt = refundOrder({
      actor: userActor(world.finance1.id),
      orderId: order.id,
      amountMinor: 100,
      reason: "buyer asked",
      requestKey: randomUUID(),
    });
    expect(await refusal(attempt)).toEqual({ status: 422, reason: "REFUND_THROUGH_STORE" });
    const stranger = refundOrder({
      actor: userActor(world.stranger.id),
      orderId: order.id,
      amountMinor: 100,
      reason: "buyer asked",
      requestKey: randomUUID(),
    });
    expect((await refusal(stranger)).status).toBe(403);
    expect(await db().refundRequest.count({ where: { orderId: order.id } })).toBe(0);
    const totals = await channelTotals("google");
    expect(totals.find((t) => t.currency === "EUR")).toMatchObject({ orders: expect.any(Number) });
    expect((await listRecentOrders({ channel: "google" })).orders.every((o) => o.provider === "google")).toBe(true);
  });
});
