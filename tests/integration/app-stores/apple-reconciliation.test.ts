import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { isAppError } from "@/lib/errors/app-error";
import { checkLedger } from "@/lib/ledger/check-ledger";
import { drainOutbox } from "@/lib/outbox/kick-outbox";
import { processAppleNotification } from "@/lib/app-stores/process-apple-notification";
import { reconcileAppleTransactionHistory } from "@/lib/app-stores/reconcile-apple";
import { sweepAppleStore } from "@/lib/app-stores/sweep-apple-store";
import { appAccountTokenFor } from "@/lib/app-stores/app-account-token";
import { registerAppAccountTokenForCaller } from "@/lib/app-stores/register-app-account-token";
import {
  type AppleWorld,
  DAY_MS,
  LICENSE_PRODUCT,
  nextTransactionId,
  setupAppleWorld,
  signedNotification,
  transactionPayload,
} from "./apple-world";

let world: AppleWorld;
beforeAll(async () => {
  world = await setupAppleWorld({ consumptionConsent: true });
});
afterAll(async () => {
  await world?.api.close();
});

describe("App Store Server API", () => {
  it("reconciliation records purchases, renewals and refunds whose notifications were missed, once", async () => {
    const original = nextTransactionId();
    const t0 = Date.now() - 70 * DAY_MS;
    const sub = {
      originalTransactionId: original,
      productId: LICENSE_PRODUCT,
      type: "Auto-Renewable Subscription",
      price: 49990,
      appAccountToken: world.adminToken,
    };
    const first = transactionPayload({
      ...sub,
      transactionId: original,
      purchaseDate: t0,
      expiresDate: t0 + 30 * DAY_MS,
    });
    // Only the first purchase was notified; the renewal and a refunded renewal were missed.
    await processAppleNotification({ signedPayload: await signedNotification(world, "SUBSCRIBED", first) });
    const renewal = transactionPayload({
      ...sub,
      transactionId: nextTransactionId(),
      purchaseDate: t0 + 30 * DAY_MS,
      expiresDate: t0 + 60 * DAY_MS,
    });
    const refunded = transactionPayload({
      ...sub,
      transactionId: nextTransactionId(),
      purchaseDate: t0 + 60 * DAY_MS,
      expiresDate: t0 + 90 * DAY_MS,
      revocationDate: t0 + 61 * DAY_MS,
    });
    const unknown = transactionPayload({ productId: "org.guildhall.not.mapped", originalTransactionId: original });
    world.api.histories.set(
      original,
      await Promise.all([first, renewal, refunded, unknown].map((t) => world.pki.sign(t))),
    );

    const report = await reconcileAppleTransactionHistory(original);
    expect(report).toEqual({
      seen: 4,
      recorded: 2,
      refunded: 1,
      refused: [{ transactionId: unknown.transactionId, reason: "UNKNOWN_PRODUCT" }],
    });
    expect(await db().storeTransaction.count({ where: { originalTransactionId: original } })).toBe(3);
    const again = await reconcileAppleTransactionHistory(original);
    expect(again).toMatchObject({ seen: 4, recorded: 0, refunded: 0 });
    expect(await db().paymentOrder.count({ where: { idempotencyScope: "store:apple" } })).toBe(3);

    // The sweep finds the subscription past its paid end and reads its history again: nothing new.
    await db().storeSubscription.update({
      where: { store_originalTransactionId: { store: "apple", originalTransactionId: original } },
      data: { expiresAt: new Date(Date.now() - DAY_MS) },
    });
    const swept = await sweepAppleStore({ hours: 24 });
    expect(swept).toMatchObject({ subscriptionsChecked: 1, recorded: 0, refunded: 0 });
    expect((await checkLedger()).ok).toBe(true);
    // About 9 s on an idle machine (three readings of a history, each transaction verified and recorded).
  }, 90_000);

  it("the sweep asks Apple where an overdue subscription stands: a missed renewal extends it, a lapse ends it", async () => {
    const t0 = Date.now() - 40 * DAY_MS;
    const subscribe = async () => {
      const original = nextTransactionId();
      const first = transactionPayload({
        transactionId: original,
        originalTransactionId: original,
        productId: LICENSE_PRODUCT,
        type: "Auto-Renewable Subscription",
        price: 49990,
        appAccountToken: world.adminToken,
        purchaseDate: t0,
        expiresDate: t0 + 30 * DAY_MS,
        // Signed a minute ago (the tests' certificates are younger than t0); Apple's status answers are newer.
        signedDate: Date.now() - 60_000,
      });
      await processAppleNotification({
        signedPayload: await signedNotification(world, "SUBSCRIBED", first, { signedDate: Date.now() - 60_000 }),
      });
      return first;
    };
    // Both ran out ten days ago by Guildhall's records; no notification came since.
    const renewed = await subscribe();
    const lapsed = await subscribe();
    const renewal = transactionPayload({
      ...renewed,
      transactionId: nextTransactionId(),
      purchaseDate: t0 + 30 * DAY_MS,
      expiresDate: t0 + 60 * DAY_MS,
      signedDate: Date.now(),
      transactionReason: "RENEWAL",
    });
    world.api.statuses.set(renewed.originalTransactionId, {
      status: 1,
      signedTransactionInfo: await world.pki.sign(renewal),
    });
    world.api.statuses.set(lapsed.originalTransactionId, {
      status: 2,
      signedTransactionInfo: await world.pki.sign({ ...lapsed, signedDate: Date.now() }),
    });
    const swept = await sweepAppleStore({ hours: 1 });
    expect(swept.states).toMatchObject({
      [renewed.originalTransactionId]: "active (applied)",
      [lapsed.originalTransactionId]: "expired (applied)",
    });
    const sub = (originalTransactionId: string) =>
      db().storeSubscription.findUniqueOrThrow({
        where: { store_originalTransactionId: { store: "apple", originalTransactionId } },
      });
    expect(await sub(renewed.originalTransactionId)).toMatchObject({
      state: "active",
      expiresAt: new Date(t0 + 60 * DAY_MS),
    });
    // The missed renewal is a paid order, once.
    expect(await db().paymentOrder.count({ where: { providerPaymentRef: renewal.transactionId } })).toBe(1);
    expect(await sub(lapsed.originalTransactionId)).toMatchObject({ state: "expired" });
    // Neither is overdue now: the next sweep asks nothing of them and records nothing (the earlier test's
    // subscription, which Apple does not know, is still asked about).
    const again = await sweepAppleStore({ hours: 1 });
    expect(again.recorded).toBe(0);
    expect(Object.keys(again.states)).not.toContain(renewed.originalTransactionId);
    expect(Object.keys(again.states)).not.toContain(lapsed.originalTransactionId);
    expect((await checkLedger()).ok).toBe(true);
  }, 90_000);

  it("the sweep processes notifications that never reached the webhook, once", async () => {
    const missed = transactionPayload({});
    const delivered = transactionPayload({});
    const deliveredPayload = await signedNotification(world, "ONE_TIME_CHARGE", delivered);
    await processAppleNotification({ signedPayload: deliveredPayload });
    world.api.notifications.push(
      deliveredPayload,
      await signedNotification(world, "ONE_TIME_CHARGE", missed),
      await signedNotification(world, "ONE_TIME_CHARGE", transactionPayload({ productId: "org.unmapped" })),
    );
    const first = await sweepAppleStore({ hours: 1 });
    expect(first.notifications).toEqual({ seen: 3, processed: 1, duplicates: 1, refused: ["UNKNOWN_PRODUCT"] });
    expect(await db().paymentOrder.count({ where: { providerPaymentRef: missed.transactionId } })).toBe(1);
    const second = await sweepAppleStore({ hours: 1 });
    expect(second.notifications).toMatchObject({ processed: 0, duplicates: 2 });
  });

  it("a consumption request is answered through the API after commit", async () => {
    const tx = transactionPayload({});
    await processAppleNotification({
      signedPayload: await signedNotification(world, "CONSUMPTION_REQUEST", tx, {
        data: { consumptionRequestReason: "UNINTENDED_PURCHASE" },
      }),
    });
    expect(world.api.consumptionRequests).toHaveLength(0);
    await drainOutbox();
    expect(world.api.consumptionRequests).toEqual([
      {
        transactionId: tx.transactionId,
        body: { customerConsented: true, deliveryStatus: "DELIVERED", sampleContentProvided: false },
      },
    ]);
  });
});

describe("app account tokens", () => {
  it("are UUIDs made from the pairwise subject, stable and distinct per subject", () => {
    const a = appAccountTokenFor("subject-a");
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(appAccountTokenFor("subject-a")).toBe(a);
    expect(appAccountTokenFor("subject-b")).not.toBe(a);
  });

  it("are given only to a bearer of a valid user access token", async () => {
    for (const header of [null, "Basic abc", "Bearer not-a-jwt"]) {
      const req = new Request("http://localhost/api/v1/app-account-token", {
        method: "POST",
        headers: header ? { authorization: header } : {},
      });
      const refusal = await registerAppAccountTokenForCaller(req).catch((e: unknown) => e);
      expect(isAppError(refusal) && [refusal.statusCode, refusal.reason]).toEqual([401, "invalid_token"]);
    }
  });
});
