// The route harness first: it sets up the request scope Next's modules expect before they load (the pages rendered).
import "next-test-api-route-handler";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { isAppError } from "@/lib/errors/app-error";
import { checkLedger } from "@/lib/ledger/check-ledger";
import { drainOutbox } from "@/lib/outbox/kick-outbox";
import { getPayeeStatement } from "@/lib/payouts/get-payee-statement";
import { createLicensePlan } from "@/lib/licensing/create-license-plan";
import { addStoreProduct } from "@/lib/app-stores/store-products";
import { seedUser } from "@/tests/support/factories";
import { signAppleNotification } from "@/tests/support/store-notifications";
import { processAppleNotification } from "@/lib/app-stores/process-apple-notification";
import { reconcileAppleTransactionHistory } from "@/lib/app-stores/reconcile-apple";
import { sweepAppleStore } from "@/lib/app-stores/sweep-apple-store";
import { newId } from "@/lib/ids";
import { userActor } from "@/lib/access/actor";
import { cancelFunding } from "@/lib/funding/cancel-funding";
import { setFundingPublicName } from "@/lib/funding/set-funding-public-name";
import { getReleaseLineFunding } from "@/lib/funding/get-release-line-funding";
import { listOwnFundings } from "@/lib/funding/list-own-fundings";
import { refundPayment } from "@/lib/payments/refund-payment";
import { seedActiveSplitPolicy, seedReleaseLineRunBy } from "@/tests/support/payments-factories";
import { POST as appleWebhook } from "@/app/api/webhooks/apple/route";
import LineFundingPage from "@/app/funding/[line]/page";
import OwnFundingPage from "@/app/account/funding/page";
import { renderPage } from "@/tests/support/page-harness";
import { tableRowWith } from "@/tests/support/table-row";
import { sessionCookieFor } from "@/tests/support/route-harness";
import {
  type AppleWorld,
  BUNDLE_ID,
  DAY_MS,
  LICENSE_PRODUCT,
  nextTransactionId,
  setupAppleWorld,
  signedNotification,
  transactionPayload,
} from "./apple-world";

let world: AppleWorld;
beforeAll(async () => {
  world = await setupAppleWorld();
});
afterAll(async () => {
  await world?.api.close();
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

const orderOf = (transactionId: string) =>
  db().paymentOrder.findUniqueOrThrow({
    where: { idempotencyScope_idempotencyKey: { idempotencyScope: "store:apple", idempotencyKey: transactionId } },
  });

async function counts() {
  return {
    orders: await db().paymentOrder.count(),
    events: await db().paymentEvent.count({ where: { provider: "apple" } }),
    postings: await db().ledgerPosting.count(),
    licenses: await db().license.count(),
  };
}

describe("App Store purchases of tickets", () => {
  it("records a purchase as a paid order with the active split and the commission as the fee, once", async () => {
    const tx = transactionPayload({ quantity: 2, appAccountToken: world.strangerToken });
    const payload = await signedNotification(world, "ONE_TIME_CHARGE", tx);
    const first = await processAppleNotification({ signedPayload: payload });
    expect(first).toMatchObject({ duplicate: false, outcome: "handled" });

    const order = await orderOf(tx.transactionId);
    // 2 x 12.99 EUR = 25.98 EUR; 15% commission, rounded half up: 3.90 EUR.
    expect(order).toMatchObject({ status: "paid", provider: "apple", amountMinor: 2598n, feeMinor: 390n });
    expect(order.createdById).toBe(world.stranger.id);
    const sale = await db().ticketSale.findUniqueOrThrow({ where: { orderId: order.id } });
    expect(sale).toMatchObject({ showId: "show-hamlet", quantity: 2, externalRef: `apple:${tx.transactionId}` });
    const postings = await db().ledgerPosting.findMany({ where: { entryId: order.saleEntryId as string } });
    expect(postings.find((p) => p.accountId === "processor_fees:-:EUR")?.amountMinor).toBe(390n);
    expect(postings.find((p) => p.accountId === "processor_clearing:-:EUR")?.amountMinor).toBe(2208n);
    // The theater's statement says the money came in through the App Store.
    const statement = await getPayeeStatement(world.theater.id);
    expect(statement.lines.find((l) => l.orderId === order.id)).toMatchObject({ kind: "sale", channel: "apple" });

    // The same notification again, and the same purchase in another notification: nothing more.
    const before = await counts();
    expect(await processAppleNotification({ signedPayload: payload })).toMatchObject({ duplicate: true });
    const again = await signedNotification(world, "ONE_TIME_CHARGE", tx);
    expect(await processAppleNotification({ signedPayload: again })).toMatchObject({ duplicate: false });
    expect(await counts()).toEqual({ ...before, events: before.events + 1 });
  });

  it("the same purchase delivered to two instances at once makes one order", async () => {
    const tx = transactionPayload({});
    const [a, b] = await Promise.all([
      signedNotification(world, "ONE_TIME_CHARGE", tx),
      signedNotification(world, "ONE_TIME_CHARGE", tx),
    ]);
    await Promise.all([processAppleNotification({ signedPayload: a }), processAppleNotification({ signedPayload: b })]);
    expect(await db().paymentOrder.count({ where: { providerPaymentRef: tx.transactionId } })).toBe(1);
    expect(await db().storeTransaction.count({ where: { transactionId: tx.transactionId } })).toBe(1);
  });

  it("refuses what does not verify or is not ours with a clear 4xx, changing nothing", async () => {
    const before = await counts();
    const tx = transactionPayload({});
    const forged = await signAppleNotification({
      sign: world.pki.signWithForeignChain,
      signInner: world.pki.sign,
      type: "ONE_TIME_CHARGE",
      transaction: tx,
      bundleId: BUNDLE_ID,
    });
    expect(await refusal(processAppleNotification({ signedPayload: forged }))).toEqual({
      status: 400,
      reason: "BAD_SIGNATURE",
    });
    const otherApp = await signedNotification(world, "ONE_TIME_CHARGE", tx, { data: { bundleId: "org.other.app" } });
    expect(await refusal(processAppleNotification({ signedPayload: otherApp }))).toEqual({
      status: 400,
      reason: "WRONG_APP",
    });
    const production = await signedNotification(world, "ONE_TIME_CHARGE", tx, { data: { environment: "Production" } });
    expect(await refusal(processAppleNotification({ signedPayload: production }))).toEqual({
      status: 400,
      reason: "WRONG_ENVIRONMENT",
    });
    const tampered = (await signedNotification(world, "ONE_TIME_CHARGE", tx)).replace(/\.([^.]+)\./, (_, p) => {
      const body = JSON.parse(Buffer.from(p, "base64url").toString());
      body.notificationUUID = randomUUID();
      return `.${Buffer.from(JSON.stringify(body)).toString("base64url")}.`;
    });
    expect(await refusal(processAppleNotification({ signedPayload: tampered }))).toEqual({
      status: 400,
      reason: "BAD_SIGNATURE",
    });
    const unknown = await signedNotification(world, "ONE_TIME_CHARGE", transactionPayload({ productId: "org.x.y" }));
    expect(await refusal(processAppleNotification({ signedPayload: unknown }))).toEqual({
      status: 422,
      reason: "UNKNOWN_PRODUCT",
    });
    const oddPrice = await signedNotification(world, "ONE_TIME_CHARGE", transactionPayload({ price: 12995 }));
    expect(await refusal(processAppleNotification({ signedPayload: oddPrice }))).toEqual({
      status: 400,
      reason: "MALFORMED_TRANSACTION",
    });
    expect(await refusal(processAppleNotification({ payload: "x" }))).toEqual({
      status: 400,
      reason: "MALFORMED_NOTIFICATION",
    });

    // Over HTTP, the route answers the same refusals with the API's error shape.
    const post = (body: string) =>
      appleWebhook(
        new Request("http://localhost:3999/api/webhooks/apple", {
          method: "POST",
          body,
          headers: { "content-type": "application/json" },
        }),
        { params: Promise.resolve({}) },
      );
    const bad = await post(JSON.stringify({ signedPayload: forged }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "BAD_REQUEST", reason: "BAD_SIGNATURE" } });
    expect((await post("{not json")).status).toBe(400);
    const unmapped = await post(JSON.stringify({ signedPayload: unknown }));
    expect(unmapped.status).toBe(422);
    expect(await counts()).toEqual(before);
    const ok = await post(JSON.stringify({ signedPayload: await signedNotification(world, "TEST", null) }));
    expect(ok.status).toBe(200);
  });
});

describe("App Store refunds", () => {
  it("REFUND reverses the split and gives the commission back; REFUND_REVERSED restores it; each once", async () => {
    const tx = transactionPayload({});
    // The purchase's own notification never arrived: the refund records the purchase first.
    const refund = await signedNotification(world, "REFUND", {
      ...tx,
      revocationDate: Date.now(),
      revocationReason: 0,
    });
    expect(await processAppleNotification({ signedPayload: refund })).toMatchObject({ outcome: "handled" });
    const order = await orderOf(tx.transactionId);
    expect(order).toMatchObject({ status: "paid", amountMinor: 1299n, refundedMinor: 1299n, feeMinor: 195n });
    const entries = await db().journalEntry.findMany({ where: { orderId: order.id }, orderBy: { occurredAt: "asc" } });
    const postings = await db().ledgerPosting.findMany({ where: { entryId: { in: entries.map((e) => e.id) } } });
    const balance = (account: string) =>
      postings.filter((p) => p.accountId === account).reduce((sum, p) => sum + p.amountMinor, 0n);
    // After a full refund the store holds nothing for us and the org bears no fee.
    expect(balance("processor_clearing:-:EUR")).toBe(0n);
    expect(balance("processor_fees:-:EUR")).toBe(0n);
    expect(balance(`theater_payable:${world.theater.id}:EUR`)).toBe(0n);

    const replay = await signedNotification(world, "REFUND", { ...tx, revocationDate: Date.now() });
    expect(await processAppleNotification({ signedPayload: replay })).toMatchObject({ outcome: "ignored" });

    const reversed = await signedNotification(world, "REFUND_REVERSED", tx);
    expect(await processAppleNotification({ signedPayload: reversed })).toMatchObject({ outcome: "handled" });
    expect((await orderOf(tx.transactionId)).refundedMinor).toBe(0n);
    const after = await db().ledgerPosting.findMany({
      where: { entryId: { in: (await db().journalEntry.findMany({ where: { orderId: order.id } })).map((e) => e.id) } },
    });
    const sum = (account: string) =>
      after.filter((p) => p.accountId === account).reduce((s, p) => s + p.amountMinor, 0n);
    expect(sum("processor_fees:-:EUR")).toBe(195n);
    expect(sum("processor_clearing:-:EUR")).toBe(1299n - 195n);
    const again = await signedNotification(world, "REFUND_REVERSED", tx);
    expect(await processAppleNotification({ signedPayload: again })).toMatchObject({ outcome: "ignored" });
    expect((await checkLedger()).ok).toBe(true);
  });

  it("a partial refund (revocationPercentage) refunds that share", async () => {
    const tx = transactionPayload({ quantity: 4 });
    await processAppleNotification({ signedPayload: await signedNotification(world, "ONE_TIME_CHARGE", tx) });
    const partial = await signedNotification(world, "REFUND", {
      ...tx,
      revocationDate: Date.now(),
      revocationPercentage: 25_000,
      revocationType: "REFUND_PRORATED",
    });
    await processAppleNotification({ signedPayload: partial });
    expect((await orderOf(tx.transactionId)).refundedMinor).toBe(1299n);
  });
});

describe("App Store license subscriptions", () => {
  it("SUBSCRIBED activates the theater's license; renewals, grace period and expiry follow the store's clock", async () => {
    const original = nextTransactionId();
    const t0 = Date.now();
    const first = transactionPayload({
      transactionId: original,
      originalTransactionId: original,
      productId: LICENSE_PRODUCT,
      type: "Auto-Renewable Subscription",
      price: 49990,
      expiresDate: t0 + 30 * DAY_MS,
      appAccountToken: world.adminToken,
    });
    await processAppleNotification({
      signedPayload: await signedNotification(world, "SUBSCRIBED", first, { subtype: "INITIAL_BUY", signedDate: t0 }),
    });
    const sub = await db().storeSubscription.findUniqueOrThrow({
      where: { store_originalTransactionId: { store: "apple", originalTransactionId: original } },
    });
    const license = await db().license.findUniqueOrThrow({ where: { id: sub.licenseId } });
    expect(license).toMatchObject({ status: "ACTIVE", theaterOrgId: world.theater.id, createdById: world.admin.id });
    const firstEnd = license.validUntil as Date;

    const renewalId = nextTransactionId();
    const renewal = {
      ...first,
      transactionId: renewalId,
      purchaseDate: t0 + 30 * DAY_MS,
      expiresDate: t0 + 60 * DAY_MS,
    };
    await processAppleNotification({
      signedPayload: await signedNotification(world, "DID_RENEW", renewal, { signedDate: t0 + 1000 }),
    });
    const renewed = await db().license.findUniqueOrThrow({ where: { id: sub.licenseId } });
    expect(renewed.validUntil?.getTime()).toBe(firstEnd.getTime() + 30 * DAY_MS);
    expect(await db().licenseOrder.count({ where: { licenseId: sub.licenseId } })).toBe(2);

    // Billing fails with a grace period past the license's end: it stays valid until then.
    const graceUntil = (renewed.validUntil?.getTime() ?? 0) + 16 * DAY_MS;
    await processAppleNotification({
      signedPayload: await signedNotification(world, "DID_FAIL_TO_RENEW", renewal, {
        subtype: "GRACE_PERIOD",
        signedDate: t0 + 2000,
        renewal: {
          originalTransactionId: original,
          productId: LICENSE_PRODUCT,
          environment: "Sandbox",
          signedDate: t0 + 2000,
          isInBillingRetryPeriod: true,
          gracePeriodExpiresDate: graceUntil,
        },
      }),
    });
    expect((await db().license.findUniqueOrThrow({ where: { id: sub.licenseId } })).validUntil?.getTime()).toBe(
      graceUntil,
    );
    await processAppleNotification({
      signedPayload: await signedNotification(world, "EXPIRED", renewal, {
        subtype: "BILLING_RETRY",
        signedDate: t0 + 4000,
      }),
    });
    // A late, older notification does not bring the subscription back.
    await processAppleNotification({
      signedPayload: await signedNotification(world, "DID_RENEW", renewal, { signedDate: t0 + 3000 }),
    });
    const state = await db().storeSubscription.findUniqueOrThrow({
      where: { store_originalTransactionId: { store: "apple", originalTransactionId: original } },
    });
    expect(state.state).toBe("expired");
    expect(await db().licenseOrder.count({ where: { licenseId: sub.licenseId } })).toBe(2);
  });

  it("an upgrade moves the license to the new product's plan at once; a downgrade at the renewal that bills it", async () => {
    const { user: orgAdmin } = await seedUser({ roles: ["ORG_ADMIN"] });
    const bigger = await createLicensePlan({
      name: "Monthly, three venues",
      termDays: 30,
      priceMinor: 9999,
      currency: "EUR",
      entitlements: { venues: 3 },
      actor: { type: "user", id: orgAdmin.id },
    });
    const BIG_PRODUCT = `org.guildhall.license.big.${nextTransactionId()}`;
    await addStoreProduct({
      store: "apple",
      productId: BIG_PRODUCT,
      kind: "license",
      theaterOrgId: world.theater.id,
      planId: bigger.id,
      actor: { type: "system", id: "test" },
    });
    const original = nextTransactionId();
    const t0 = Date.now() - 60_000;
    const base = {
      originalTransactionId: original,
      type: "Auto-Renewable Subscription",
      appAccountToken: world.adminToken,
    };
    const first = transactionPayload({
      ...base,
      transactionId: original,
      productId: LICENSE_PRODUCT,
      price: 49990,
      expiresDate: t0 + 30 * DAY_MS,
    });
    await processAppleNotification({
      signedPayload: await signedNotification(world, "SUBSCRIBED", first, { signedDate: t0 }),
    });
    const sub = await db().storeSubscription.findUniqueOrThrow({
      where: { store_originalTransactionId: { store: "apple", originalTransactionId: original } },
    });
    const license = () => db().license.findUniqueOrThrow({ where: { id: sub.licenseId } });
    const subscription = () =>
      db().storeSubscription.findUniqueOrThrow({
        where: { store_originalTransactionId: { store: "apple", originalTransactionId: original } },
      });
    expect(await license()).toMatchObject({ planId: world.plan.id, entitlements: { venues: 1 } });

    // Upgrade: Apple bills the bigger product at once, in the same subscription.
    const upgrade = transactionPayload({
      ...base,
      transactionId: nextTransactionId(),
      productId: BIG_PRODUCT,
      price: 99990,
      purchaseDate: t0 + 1000,
      expiresDate: t0 + 1000 + 30 * DAY_MS,
    });
    const upgraded = await signedNotification(world, "DID_CHANGE_RENEWAL_PREF", upgrade, {
      subtype: "UPGRADE",
      signedDate: t0 + 1000,
    });
    expect(await processAppleNotification({ signedPayload: upgraded })).toMatchObject({ outcome: "handled" });
    expect(await license()).toMatchObject({ planId: bigger.id, entitlements: { venues: 3 }, status: "ACTIVE" });
    expect(await subscription()).toMatchObject({ productId: BIG_PRODUCT, state: "active" });
    // The same notification again changes nothing.
    expect(await processAppleNotification({ signedPayload: upgraded })).toMatchObject({ duplicate: true });
    // Apple's upgrade credit: the old transaction is revoked as upgraded with its unused part (40 %) refunded,
    // which the customer's history shows; the notification had the history read after its commit.
    const firstOrder = await db().storeTransaction.findUniqueOrThrow({
      where: { store_transactionId: { store: "apple", transactionId: original } },
    });
    const paidBefore = await db().paymentOrder.findUniqueOrThrow({ where: { id: firstOrder.orderId } });
    const credited = {
      ...first,
      isUpgraded: true,
      revocationDate: t0 + 1000,
      revocationType: "REFUND_PRORATED",
      revocationPercentage: 40_000,
    };
    world.api.histories.set(original, await Promise.all([credited, upgrade].map((t) => world.pki.sign(t))));
    await drainOutbox();
    const creditedOrder = await db().paymentOrder.findUniqueOrThrow({ where: { id: firstOrder.orderId } });
    expect(creditedOrder.refundedMinor).toBe((paidBefore.amountMinor * 40n) / 100n);
    expect(
      await db().storeTransaction.findUniqueOrThrow({
        where: { store_transactionId: { store: "apple", transactionId: original } },
      }),
    ).toMatchObject({ status: "upgraded" });
    // The license lives on with the upgrade: nothing suspended it.
    expect(await license()).toMatchObject({ planId: bigger.id, status: "ACTIVE" });
    // Read again (the sweep), the credit is not recorded twice.
    await reconcileAppleTransactionHistory(original);
    expect((await db().paymentOrder.findUniqueOrThrow({ where: { id: firstOrder.orderId } })).refundedMinor).toBe(
      creditedOrder.refundedMinor,
    );

    // A change to a product nobody mapped, announced in the renewal info: finance is told now, once, not at
    // the renewal that would be refused.
    const UNMAPPED = `org.guildhall.license.unmapped.${nextTransactionId()}`;
    const toUnmapped = async (uuid: string) =>
      processAppleNotification({
        signedPayload: await signedNotification(world, "DID_CHANGE_RENEWAL_PREF", upgrade, {
          subtype: "DOWNGRADE",
          signedDate: t0 + 1500,
          uuid,
          renewal: {
            originalTransactionId: original,
            productId: BIG_PRODUCT,
            autoRenewProductId: UNMAPPED,
            autoRenewStatus: 1,
            renewalDate: t0 + 1000 + 30 * DAY_MS,
            environment: "Sandbox",
            signedDate: t0 + 1500,
          },
        }),
      });
    expect(await toUnmapped(randomUUID())).toMatchObject({
      outcome: "handled",
      note: expect.stringContaining(`renews into ${UNMAPPED}, not mapped: finance alerted`),
    });
    await toUnmapped(randomUUID());
    expect(
      await db().financeAlert.findMany({ where: { key: `store-unmapped-renewal:apple:${original}:${UNMAPPED}` } }),
    ).toEqual([expect.objectContaining({ kind: "store_unmapped_product", resolvedAt: null })]);

    // Downgrade: announced with the current (bigger) transaction, applied by the renewal that bills the smaller.
    const announced = await signedNotification(world, "DID_CHANGE_RENEWAL_PREF", upgrade, {
      subtype: "DOWNGRADE",
      signedDate: t0 + 2000,
    });
    expect(await processAppleNotification({ signedPayload: announced })).toMatchObject({ outcome: "handled" });
    expect((await license()).planId).toBe(bigger.id);
    const renewal = transactionPayload({
      ...base,
      transactionId: nextTransactionId(),
      productId: LICENSE_PRODUCT,
      price: 49990,
      purchaseDate: t0 + 3000,
      expiresDate: t0 + 3000 + 60 * DAY_MS,
      transactionReason: "RENEWAL",
    });
    await processAppleNotification({
      signedPayload: await signedNotification(world, "DID_RENEW", renewal, { signedDate: t0 + 3000 }),
    });
    expect(await license()).toMatchObject({ planId: world.plan.id, entitlements: { venues: 1 } });
    expect(await subscription()).toMatchObject({ productId: LICENSE_PRODUCT });
    expect(await db().auditEvent.count({ where: { action: "license.plan_changed", subjectId: sub.licenseId } })).toBe(
      2,
    );
    expect((await checkLedger()).ok).toBe(true);
  });

  it("a refund suspends the license and its reversal reinstates it; REVOKE suspends", async () => {
    const original = nextTransactionId();
    const tx = transactionPayload({
      transactionId: original,
      productId: LICENSE_PRODUCT,
      type: "Auto-Renewable Subscription",
      price: 49990,
      expiresDate: Date.now() + 30 * DAY_MS,
      appAccountToken: world.adminToken,
    });
    await processAppleNotification({ signedPayload: await signedNotification(world, "SUBSCRIBED", tx) });
    const { licenseId } = await db().storeSubscription.findUniqueOrThrow({
      where: { store_originalTransactionId: { store: "apple", originalTransactionId: original } },
    });
    await processAppleNotification({
      signedPayload: await signedNotification(world, "REFUND", { ...tx, revocationDate: Date.now() }),
    });
    await drainOutbox();
    expect((await db().license.findUniqueOrThrow({ where: { id: licenseId } })).status).toBe("SUSPENDED");
    await processAppleNotification({ signedPayload: await signedNotification(world, "REFUND_REVERSED", tx) });
    await drainOutbox();
    expect((await db().license.findUniqueOrThrow({ where: { id: licenseId } })).status).toBe("ACTIVE");
    await processAppleNotification({ signedPayload: await signedNotification(world, "REVOKE", tx) });
    await drainOutbox();
    expect((await db().license.findUniqueOrThrow({ where: { id: licenseId } })).status).toBe("SUSPENDED");
  });

  it("a license bought with the token of someone who does not administer the theater is refused, nothing changed", async () => {
    const before = await counts();
    const tx = transactionPayload({
      productId: LICENSE_PRODUCT,
      type: "Auto-Renewable Subscription",
      price: 49990,
      appAccountToken: world.strangerToken,
    });
    expect(
      await refusal(processAppleNotification({ signedPayload: await signedNotification(world, "SUBSCRIBED", tx) })),
    ).toEqual({ status: 403, reason: "BUYER_NOT_THEATER_ADMIN" });
    const noToken = transactionPayload({ productId: LICENSE_PRODUCT, type: "Auto-Renewable Subscription" });
    expect(
      await refusal(
        processAppleNotification({ signedPayload: await signedNotification(world, "SUBSCRIBED", noToken) }),
      ),
    ).toEqual({ status: 403, reason: "BUYER_NOT_THEATER_ADMIN" });
    expect(await counts()).toEqual(before);
  });

  it("a purchase shared through Family Sharing makes no order", async () => {
    const tx = transactionPayload({ inAppOwnershipType: "FAMILY_SHARED" });
    const r = await processAppleNotification({ signedPayload: await signedNotification(world, "ONE_TIME_CHARGE", tx) });
    expect(r).toMatchObject({ outcome: "ignored" });
    expect(await db().paymentOrder.count({ where: { providerPaymentRef: tx.transactionId } })).toBe(0);
    expect((await checkLedger()).ok).toBe(true);
  });
});

describe("App Store subscriptions that fund a release line", () => {
  /** A release line run by the world's two hosts, a funding policy, and an auto-renewable product that funds it. */
  async function fundedLine() {
    await seedActiveSplitPolicy("LINE_FUNDING", "EUR");
    const name = `app-line-${nextTransactionId()}`;
    const line = await seedReleaseLineRunBy([world.hostA, world.hostB], name);
    const productId = `org.guildhall.fund.${name}`;
    await addStoreProduct({ store: "apple", productId, kind: "funding", releaseLineName: name, actor: cli });
    return { line, productId };
  }
  const cli = { type: "system" as const, id: "test" };

  /**
   * A funding subscription the world's stranger (signed in to the app, their app account token on each
   * transaction) buys of `productId` at `t0`: its original transaction id, and its periods as Apple signs them,
   * the n-th running 30 days from t0 + n × 30 days at 4.99 EUR (`over` changes any field: another product,
   * price or currency).
   */
  function fundingSubscription(productId: string, t0: number) {
    const original = nextTransactionId();
    const period = (transactionId: string, n: number, over: Record<string, unknown> = {}) =>
      transactionPayload({
        transactionId,
        originalTransactionId: original,
        productId,
        type: "Auto-Renewable Subscription",
        price: 4990,
        purchaseDate: t0 + n * 30 * DAY_MS,
        expiresDate: t0 + (n + 1) * 30 * DAY_MS,
        appAccountToken: world.strangerToken,
        ...over,
      });
    return { original, period };
  }
  /** Apple's signed notification of `type` around a transaction, processed as the webhook does. */
  const send = async (type: string, tx: object, extra: Parameters<typeof signedNotification>[3] = {}) =>
    processAppleNotification({ signedPayload: await signedNotification(world, type, tx, extra) });

  it("a purchase in the app opens the signed-in funder's funding; renewals add a period's funds to the hosts; renewal off, refunds and expiry follow", async () => {
    const { line, productId } = await fundedLine();
    const t0 = Date.now();
    const { original, period } = fundingSubscription(productId, t0);

    // Without the app account token of a signed-in account there is no funder: refused, nothing recorded.
    const before = await db().fundingPayment.count();
    const anonymous = { ...period(original, 0), appAccountToken: undefined };
    expect(await refusal(send("SUBSCRIBED", anonymous, { signedDate: t0 }))).toEqual({
      status: 403,
      reason: "FUNDER_NOT_SIGNED_IN",
    });
    expect(await db().fundingPayment.count()).toBe(before);
    expect(await db().funding.count({ where: { providerSubscriptionId: original } })).toBe(0);

    // The purchase: a monthly funding of the line by the account, its first period's payment split to the hosts.
    const first = period(original, 0);
    expect(await send("SUBSCRIBED", first, { subtype: "INITIAL_BUY", signedDate: t0 })).toMatchObject({
      outcome: "handled",
    });
    const funding = await db().funding.findFirstOrThrow({
      where: { provider: "apple", providerSubscriptionId: original },
    });
    expect(funding).toMatchObject({
      releaseLineId: line.id,
      funderUserId: world.stranger.id,
      interval: "month",
      amountMinor: 499n,
      currency: "EUR",
      status: "active",
      publicName: null,
    });
    const [payment] = await db().fundingPayment.findMany({ where: { fundingId: funding.id } });
    // 4.99 EUR, Apple's 15% commission rounded half up (0.75) as the processor fee, 4.24 EUR to the two hosts.
    expect(payment).toMatchObject({ provider: "apple", providerRef: original, amountMinor: 499n, feeMinor: 75n });
    const hostShares = async (entryId: string) =>
      (await db().ledgerPosting.findMany({ where: { entryId, accountId: { startsWith: "host_payable:" } } }))
        .map((p) => p.amountMinor)
        .sort();
    expect(await hostShares(payment.journalEntryId)).toEqual([-212n, -212n]);
    expect(await db().paymentOrder.count({ where: { providerPaymentRef: original } })).toBe(0);
    // The same notification again: nothing more.
    const replay = await signedNotification(world, "SUBSCRIBED", first, { signedDate: t0, uuid: randomUUID() });
    expect(await processAppleNotification({ signedPayload: replay })).toMatchObject({ outcome: "handled" });
    expect(await db().fundingPayment.count({ where: { fundingId: funding.id } })).toBe(1);

    // A renewal adds a period's funds and extends what the funding paid through.
    const renewalId = nextTransactionId();
    await send("DID_RENEW", period(renewalId, 1), { signedDate: t0 + 1000 });
    const renewed = await db().funding.findUniqueOrThrow({ where: { id: funding.id } });
    expect(renewed.paidThrough?.getTime()).toBe(t0 + 60 * DAY_MS);
    expect(await db().fundingPayment.count({ where: { fundingId: funding.id } })).toBe(2);

    // The line's page names the channel and never the funder's account; the funder sees it among theirs and
    // is told to stop it in the store.
    const view = await getReleaseLineFunding(line.name);
    expect(view.funders).toEqual([expect.objectContaining({ id: funding.id, channel: "apple", name: null })]);
    expect(Object.values(view.funders[0])).not.toContain(world.stranger.id);
    expect((await listOwnFundings(world.stranger.id)).find((f) => f.id === funding.id)).toMatchObject({
      channel: "apple",
    });
    expect(
      await refusal(cancelFunding({ fundingId: funding.id, reason: "stop it", actor: userActor(world.stranger.id) })),
    ).toEqual({ status: 409, reason: "CANCEL_THROUGH_STORE" });
    // The app has no field for a public name: the funder chooses one on their funding page, as a web funder
    // does on the form, and the line's page shows it; nobody else can choose it for them.
    expect(
      await refusal(
        setFundingPublicName({ fundingId: funding.id, publicName: "Mallory", actor: userActor(world.admin.id) }),
      ),
    ).toEqual({ status: 403, reason: "NOT_THE_FUNDER" });
    await setFundingPublicName({ fundingId: funding.id, publicName: " Ada L. ", actor: userActor(world.stranger.id) });
    expect((await getReleaseLineFunding(line.name)).funders).toEqual([
      expect.objectContaining({ id: funding.id, channel: "apple", name: "Ada L." }),
    ]);
    // As the pages show it: the line's page names the funder and the channel in the funding's row (to anyone,
    // signed out here); the funder's own page says the App Store takes it, in the row holding the chosen name.
    const lineRow = tableRowWith(await renderPage(LineFundingPage, { params: { line: line.name } }), "Ada L.");
    expect(lineRow).toContain("App Store subscription");
    expect(lineRow).toContain("4.99");
    const ownPage = await renderPage(OwnFundingPage, {}, await sessionCookieFor(world.stranger.id));
    const ownRow = tableRowWith(ownPage, 'value="Ada L."');
    expect(ownRow).toContain(`the ${line.name} line`);
    expect(ownRow).toContain("Paid in the App Store");

    // Renewal turned off in the store: it runs to its paid end; a late, older notification does not undo that.
    await send("DID_CHANGE_RENEWAL_STATUS", period(renewalId, 1), {
      subtype: "AUTO_RENEW_DISABLED",
      signedDate: t0 + 3000,
    });
    await send("DID_RENEW", period(renewalId, 1), { signedDate: t0 + 2000 });
    expect(await db().funding.findUniqueOrThrow({ where: { id: funding.id } })).toMatchObject({ status: "canceling" });

    // Half of the renewal refunded: the hosts give back half their shares, Apple its commission on that half.
    const renewalPayment = await db().fundingPayment.findFirstOrThrow({ where: { providerRef: renewalId } });
    const refunded = { ...period(renewalId, 1), revocationDate: t0 + 4000, revocationPercentage: 50_000 };
    expect(await send("REFUND", refunded, { signedDate: t0 + 4000 })).toMatchObject({ outcome: "handled" });
    expect(await send("REFUND", refunded, { signedDate: t0 + 4000 })).toMatchObject({ outcome: "ignored" });
    const half = await db().paymentAdjustment.findFirstOrThrow({ where: { fundingPaymentId: renewalPayment.id } });
    expect(half).toMatchObject({ kind: "refund", amountMinor: 249n, status: "posted" });
    expect(await hostShares(half.journalEntryId)).toEqual([106n, 106n]);
    const commissionBack = await db().ledgerPosting.findFirstOrThrow({
      where: { entryId: `je_commission_${half.id}`, accountId: "processor_fees:-:EUR" },
    });
    expect(commissionBack.amountMinor).toBe(-37n);
    expect(await db().fundingPayment.findUniqueOrThrow({ where: { id: renewalPayment.id } })).toMatchObject({
      refundedMinor: 249n,
    });
    // Finance cannot refund it here: the store holds the money.
    expect(
      await refusal(
        refundPayment({
          actor: userActor(world.finance1.id),
          payment: { fundingPaymentId: payment.id },
          amountMinor: 100,
          reason: "the funder asked",
          requestKey: newId("rk"),
        }),
      ),
    ).toEqual({ status: 422, reason: "REFUND_THROUGH_STORE" });
    // Apple takes its refund back: the hosts are owed their shares again.
    await send("REFUND_REVERSED", refunded, { signedDate: t0 + 5000 });
    expect(await db().fundingPayment.findUniqueOrThrow({ where: { id: renewalPayment.id } })).toMatchObject({
      refundedMinor: 0n,
    });
    expect(await db().paymentAdjustment.findUniqueOrThrow({ where: { id: half.id } })).toMatchObject({
      status: "reversed",
    });

    // Expired: the funding ended; what it paid stays with the hosts.
    await send("EXPIRED", period(renewalId, 1), { subtype: "VOLUNTARY", signedDate: t0 + 6000 });
    const ended = await db().funding.findUniqueOrThrow({ where: { id: funding.id } });
    expect(ended.status).toBe("canceled");
    expect((await getReleaseLineFunding(line.name)).funders).toEqual([]);
    expect((await checkLedger()).ok).toBe(true);
  });

  it("a move to another funding product of the group funds the new target from the period that bills it; the old funding ends there", async () => {
    const a = await fundedLine();
    const b = await fundedLine();
    const t0 = Date.now();
    const { original, period } = fundingSubscription(a.productId, t0);
    const first = period(original, 0);
    await send("SUBSCRIBED", first, { subtype: "INITIAL_BUY", signedDate: t0 });
    const old = await db().funding.findFirstOrThrow({ where: { provider: "apple", providerSubscriptionId: original } });
    expect(old).toMatchObject({ releaseLineId: a.line.id, status: "active" });

    // The funder picks the other line's product from the next renewal: nothing is billed or moved yet.
    await send("DID_CHANGE_RENEWAL_PREF", first, {
      subtype: "DOWNGRADE",
      signedDate: t0 + 1000,
      renewal: {
        originalTransactionId: original,
        productId: a.productId,
        autoRenewProductId: b.productId,
        autoRenewStatus: 1,
        environment: "Sandbox",
        signedDate: t0 + 1000,
      },
    });
    expect(await db().funding.findUniqueOrThrow({ where: { id: old.id } })).toMatchObject({
      status: "active",
      providerSubscriptionId: original,
    });
    expect(await db().funding.count({ where: { releaseLineId: b.line.id } })).toBe(0);

    // The renewal that bills the new product funds the new line; the old funding ended when that period began.
    const renewalId = nextTransactionId();
    const renewal = period(renewalId, 1, { productId: b.productId });
    expect(await send("DID_RENEW", renewal, { signedDate: t0 + 2000 })).toMatchObject({ outcome: "handled" });
    const moved = await db().funding.findFirstOrThrow({
      where: { provider: "apple", providerSubscriptionId: original },
    });
    expect(moved.id).not.toBe(old.id);
    expect(moved).toMatchObject({ releaseLineId: b.line.id, funderUserId: world.stranger.id, status: "active" });
    expect(moved.paidThrough?.getTime()).toBe(t0 + 60 * DAY_MS);
    expect(await db().funding.findUniqueOrThrow({ where: { id: old.id } })).toMatchObject({
      releaseLineId: a.line.id,
      status: "canceled",
      canceledAt: new Date(t0 + 30 * DAY_MS),
      providerSubscriptionId: null,
    });
    // Each period stays with the target it was bought for, in the ledger and on the lines' pages.
    const providerRefs = async (fundingId: string) =>
      (await db().fundingPayment.findMany({ where: { fundingId } })).map((p) => p.providerRef);
    expect(await providerRefs(old.id)).toEqual([original]);
    expect(await providerRefs(moved.id)).toEqual([renewalId]);
    expect((await getReleaseLineFunding(a.line.name)).funders).toEqual([]);
    expect((await getReleaseLineFunding(b.line.name)).funders).toEqual([
      expect.objectContaining({ id: moved.id, channel: "apple" }),
    ]);
    expect(await db().auditEvent.count({ where: { action: "funding.replaced", subjectId: old.id } })).toBe(1);

    // Late and repeated notifications: the old period's again and the renewal's again move nothing.
    await send("DID_RENEW", first, { signedDate: t0 + 500, uuid: randomUUID() });
    await send("DID_RENEW", renewal, { signedDate: t0 + 2000, uuid: randomUUID() });
    expect(await providerRefs(old.id)).toEqual([original]);
    expect(await providerRefs(moved.id)).toEqual([renewalId]);
    expect(await db().funding.findUniqueOrThrow({ where: { id: old.id } })).toMatchObject({ status: "canceled" });
    // The subscription's state is the new funding's: renewal off makes it, not the old one, canceling.
    await send("DID_CHANGE_RENEWAL_STATUS", renewal, { subtype: "AUTO_RENEW_DISABLED", signedDate: t0 + 3000 });
    expect(await db().funding.findUniqueOrThrow({ where: { id: moved.id } })).toMatchObject({ status: "canceling" });
    expect(await db().funding.findUniqueOrThrow({ where: { id: old.id } })).toMatchObject({ status: "canceled" });

    // Back to the first product: its funding is the old line's again, and the other line's ends.
    const backId = nextTransactionId();
    await send("DID_RENEW", period(backId, 2), { signedDate: t0 + 4000 });
    expect(await db().funding.findUniqueOrThrow({ where: { id: old.id } })).toMatchObject({
      status: "active",
      providerSubscriptionId: original,
    });
    expect(await providerRefs(old.id)).toEqual(expect.arrayContaining([original, backId]));
    expect(await db().funding.findUniqueOrThrow({ where: { id: moved.id } })).toMatchObject({
      status: "canceled",
      providerSubscriptionId: null,
    });
    expect((await checkLedger()).ok).toBe(true);
  });

  it("an upgrade to another line's product records Apple's prorated credit as the old period's refund, the new one at full price", async () => {
    const a = await fundedLine();
    const b = await fundedLine();
    const t0 = Date.now() - 60_000;
    const { original, period } = fundingSubscription(a.productId, t0);
    const first = period(original, 0);
    await send("SUBSCRIBED", first, { signedDate: t0 });
    const old = await db().funding.findFirstOrThrow({ where: { provider: "apple", providerSubscriptionId: original } });
    // Upgrade: Apple bills the higher level at once and revokes the old transaction as upgraded, 40 % credited.
    const upgrade = period(nextTransactionId(), 0, {
      productId: b.productId,
      price: 9990,
      purchaseDate: t0 + 1000,
      expiresDate: t0 + 1000 + 30 * DAY_MS,
    });
    const credited = {
      ...first,
      isUpgraded: true,
      revocationDate: t0 + 1000,
      revocationType: "REFUND_PRORATED",
      revocationPercentage: 40_000,
    };
    world.api.histories.set(original, await Promise.all([credited, upgrade].map((t) => world.pki.sign(t))));
    expect(await send("DID_CHANGE_RENEWAL_PREF", upgrade, { subtype: "UPGRADE", signedDate: t0 + 1000 })).toMatchObject(
      { outcome: "handled" },
    );
    await drainOutbox();
    const oldPayment = await db().fundingPayment.findFirstOrThrow({ where: { providerRef: original } });
    // 4.99 EUR paid, 40 % (1.99 EUR, rounded down) credited back: the hosts return their part, Apple its commission.
    expect(oldPayment).toMatchObject({ fundingId: old.id, amountMinor: 499n, refundedMinor: 199n });
    const credit = await db().paymentAdjustment.findFirstOrThrow({ where: { fundingPaymentId: oldPayment.id } });
    expect(credit).toMatchObject({ kind: "refund", amountMinor: 199n, status: "posted" });
    expect(
      (await db().ledgerPosting.findFirstOrThrow({ where: { entryId: `je_commission_${credit.id}` } })).amountMinor,
    ).not.toBe(0n);
    const moved = await db().funding.findFirstOrThrow({
      where: { provider: "apple", providerSubscriptionId: original },
    });
    expect(moved).toMatchObject({ releaseLineId: b.line.id, status: "active" });
    expect(await db().fundingPayment.findFirstOrThrow({ where: { providerRef: upgrade.transactionId } })).toMatchObject(
      { fundingId: moved.id, amountMinor: 999n, refundedMinor: 0n },
    );
    expect(await db().funding.findUniqueOrThrow({ where: { id: old.id } })).toMatchObject({ status: "canceled" });
    // Read again (the sweep), the credit is not recorded twice.
    await reconcileAppleTransactionHistory(original);
    expect(await db().paymentAdjustment.count({ where: { fundingPaymentId: oldPayment.id } })).toBe(1);
    expect((await checkLedger()).ok).toBe(true);
  });

  it("a renewal billed in another currency funds in that currency, tells finance, and is refused without a policy in it", async () => {
    const { line, productId } = await fundedLine();
    await seedActiveSplitPolicy("LINE_FUNDING", "USD");
    const t0 = Date.now();
    const { original, period } = fundingSubscription(productId, t0);
    await send("SUBSCRIBED", period(original, 0), { signedDate: t0 });
    const eur = await db().funding.findFirstOrThrow({ where: { provider: "apple", providerSubscriptionId: original } });
    await setFundingPublicName({ fundingId: eur.id, publicName: "Ada L.", actor: userActor(world.stranger.id) });

    // The funder moved to another storefront: Apple renews in USD. Recorded (200), in USD, on a USD funding.
    const usdId = nextTransactionId();
    expect(await send("DID_RENEW", period(usdId, 1, { currency: "USD" }), { signedDate: t0 + 1000 })).toMatchObject({
      outcome: "handled",
    });
    const usd = await db().funding.findFirstOrThrow({ where: { provider: "apple", providerSubscriptionId: original } });
    // The funder's choice to be named carries over to the funding that follows the subscription.
    expect(usd).toMatchObject({
      releaseLineId: line.id,
      currency: "USD",
      amountMinor: 499n,
      status: "active",
      publicName: "Ada L.",
    });
    const usdPayment = await db().fundingPayment.findFirstOrThrow({ where: { providerRef: usdId } });
    expect(usdPayment).toMatchObject({ fundingId: usd.id, currency: "USD", amountMinor: 499n });
    const hostPostings = await db().ledgerPosting.findMany({
      where: { entryId: usdPayment.journalEntryId, accountId: { startsWith: "host_payable:" } },
    });
    expect(hostPostings.map((p) => p.accountId.endsWith(":USD"))).toEqual([true, true]);
    expect(await db().funding.findUniqueOrThrow({ where: { id: eur.id } })).toMatchObject({
      currency: "EUR",
      status: "canceled",
      canceledAt: new Date(t0 + 30 * DAY_MS),
    });
    const alert = await db().financeAlert.findFirstOrThrow({ where: { key: `store-funding-currency:${usd.id}` } });
    expect(alert).toMatchObject({ kind: "store_funding_currency", resolvedAt: null });
    expect(alert.message).toContain("billed in USD");
    const coverage = (await getReleaseLineFunding(line.name)).coverage.find((c) => c.currency === "USD");
    expect(coverage).toMatchObject({ fundedMonthlyMinor: 499n });

    // A renewal at a new price in the same currency: the funding's monthly amount follows it, so the line's
    // page says what it brings a month; what was received counts the period as paid.
    const dearerId = nextTransactionId();
    const dearer = period(dearerId, 2, { currency: "USD", price: 5990 });
    expect(await send("DID_RENEW", dearer, { signedDate: t0 + 1500 })).toMatchObject({ outcome: "handled" });
    expect(await db().funding.findUniqueOrThrow({ where: { id: usd.id } })).toMatchObject({ amountMinor: 599n });
    expect(await db().fundingPayment.findFirstOrThrow({ where: { providerRef: dearerId } })).toMatchObject({
      fundingId: usd.id,
      amountMinor: 599n,
    });
    const usdPayments = await db().fundingPayment.findMany({ where: { fundingId: usd.id } });
    expect((await getReleaseLineFunding(line.name)).coverage.find((c) => c.currency === "USD")).toMatchObject({
      fundedMonthlyMinor: 599n,
      receivedNetMinor: usdPayments.reduce((s, p) => s + p.amountMinor - p.feeMinor, 0n),
    });
    expect(await db().auditEvent.count({ where: { action: "funding.amount_changed", subjectId: usd.id } })).toBe(1);
    // A period older than that one, at the old price, arriving late is recorded and leaves the amount as it is.
    await send("DID_RENEW", period(nextTransactionId(), 1, { currency: "USD" }), { signedDate: t0 + 1600 });
    expect(await db().fundingPayment.count({ where: { fundingId: usd.id } })).toBe(usdPayments.length + 1);
    expect(await db().funding.findUniqueOrThrow({ where: { id: usd.id } })).toMatchObject({ amountMinor: 599n });

    // A currency with no funding policy: refused as a first purchase in it would be, nothing recorded; finance
    // is told (once, however often the store retries) that a policy in that currency must be approved.
    const before = await db().fundingPayment.count();
    const chfId = nextTransactionId();
    const chf = await signedNotification(world, "DID_RENEW", period(chfId, 3, { currency: "CHF" }), {
      signedDate: t0 + 2000,
    });
    for (let attempt = 0; attempt < 2; attempt++)
      expect(await refusal(processAppleNotification({ signedPayload: chf }))).toEqual({
        status: 422,
        reason: "NO_ACTIVE_SPLIT_POLICY",
      });
    expect(await db().fundingPayment.count()).toBe(before);
    expect(await db().funding.findUniqueOrThrow({ where: { id: usd.id } })).toMatchObject({ status: "active" });
    const noPolicy = await db().financeAlert.findMany({ where: { kind: "store_funding_no_policy" } });
    expect(noPolicy).toEqual([
      expect.objectContaining({ key: `store-funding-no-policy:apple:${original}:CHF`, resolvedAt: null }),
    ]);
    expect(noPolicy[0].message).toContain(chfId);
    // Finance approves one; the store's next retry of the same notification records the period.
    await seedActiveSplitPolicy("LINE_FUNDING", "CHF");
    expect(await processAppleNotification({ signedPayload: chf })).toMatchObject({ outcome: "handled" });
    const chfPayment = await db().fundingPayment.findFirstOrThrow({ where: { providerRef: chfId } });
    expect(chfPayment).toMatchObject({ currency: "CHF", amountMinor: 499n });
    expect(await db().funding.findUniqueOrThrow({ where: { id: chfPayment.fundingId } })).toMatchObject({
      currency: "CHF",
      status: "active",
    });
    expect(await db().financeAlert.count({ where: { kind: "store_funding_no_policy" } })).toBe(1);
    expect((await checkLedger()).ok).toBe(true);
  });

  it("a funding of a line no admitted host runs is refused; missed periods and a lost expiry are recorded by reconciliation and the sweep", async () => {
    await seedActiveSplitPolicy("LINE_FUNDING", "EUR");
    const lonely = `lonely-${nextTransactionId()}`;
    await db().releaseLine.create({ data: { id: newId("rl"), name: lonely } });
    const lonelyProduct = `org.guildhall.fund.${lonely}`;
    await addStoreProduct({
      store: "apple",
      productId: lonelyProduct,
      kind: "funding",
      releaseLineName: lonely,
      actor: cli,
    });
    const tx = transactionPayload({
      productId: lonelyProduct,
      type: "Auto-Renewable Subscription",
      price: 4990,
      expiresDate: Date.now() + 30 * DAY_MS,
      appAccountToken: world.strangerToken,
    });
    expect(
      await refusal(processAppleNotification({ signedPayload: await signedNotification(world, "SUBSCRIBED", tx) })),
    ).toEqual({ status: 422, reason: "NO_HOST_TO_FUND" });
    expect(await db().funding.count({ where: { providerSubscriptionId: tx.originalTransactionId } })).toBe(0);

    // A funding whose notifications never came: the customer's history records its periods once.
    const { productId } = await fundedLine();
    const t0 = Date.now();
    const { original, period } = fundingSubscription(productId, t0);
    const periods = [period(original, 0), period(nextTransactionId(), 1)];
    world.api.histories.set(original, await Promise.all(periods.map((p) => world.pki.sign(p))));
    const report = await reconcileAppleTransactionHistory(original);
    expect(report).toMatchObject({ seen: 2, recorded: 2, refused: [] });
    expect(await reconcileAppleTransactionHistory(original)).toMatchObject({ seen: 2, recorded: 0 });
    const funding = await db().funding.findFirstOrThrow({ where: { providerSubscriptionId: original } });
    expect(await db().fundingPayment.count({ where: { fundingId: funding.id } })).toBe(2);

    // Its expiry's notification was lost too: past its paid end, the sweep asks Apple, and it ends.
    const lapsed = { ...periods[1], signedDate: Date.now() };
    world.api.statuses.set(original, { status: 2, signedTransactionInfo: await world.pki.sign(lapsed) });
    const swept = await sweepAppleStore({ hours: 1, now: new Date(t0 + 61 * DAY_MS) });
    expect(swept.states[original]).toBe("expired (applied)");
    expect(await db().funding.findUniqueOrThrow({ where: { id: funding.id } })).toMatchObject({ status: "canceled" });
    expect(await db().fundingPayment.count({ where: { fundingId: funding.id } })).toBe(2);
    expect((await checkLedger()).ok).toBe(true);
  });
});
