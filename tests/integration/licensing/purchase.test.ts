import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { seedDefaultSplitPolicies } from "@/lib/payouts/seed-default-split-policies";
import { completeSimulatedCheckout } from "@/lib/payments/complete-simulated-checkout";
import { startLicensePurchase } from "@/lib/licensing/start-license-purchase";
import { seedOrg } from "@/tests/support/factories";
import { DAY_MS, seedPlan, setupCa } from "./helpers";

beforeAll(async () => {
  await setupCa();
  await db().$transaction((tx) => seedDefaultSplitPolicies(tx));
});

describe("buying a license through the payments checkout", () => {
  it("a theater admin buys a plan: pending until paid, active after, renewed by a second payment", async () => {
    const { plan } = await seedPlan({ termDays: 30 });
    const { org, admin } = await seedOrg({ kind: "THEATER" });
    const bought = await startLicensePurchase({ theaterOrgId: org.id, planId: plan.id, actor: { userId: admin.id } });
    expect(bought.url).toContain(`/pay/simulated/${bought.checkoutId}`);
    expect(await db().license.findUniqueOrThrow({ where: { id: bought.licenseId } })).toMatchObject({ status: "PENDING_PAYMENT", validUntil: null });
    const order = await db().paymentOrder.findUniqueOrThrow({ where: { id: bought.checkoutId } });
    expect(order).toMatchObject({ amountMinor: 120000, currency: "EUR", productKind: "LICENSE_SALE" });

    // Asking again for the same pending license answers the same checkout.
    expect((await startLicensePurchase({ licenseId: bought.licenseId, actor: { userId: admin.id } })).checkoutId).toBe(bought.checkoutId);

    expect((await completeSimulatedCheckout(bought.checkoutId, "4242 4242 4242 4242")).result).toBe("paid");
    const active = await db().license.findUniqueOrThrow({ where: { id: bought.licenseId } });
    expect(active.status).toBe("ACTIVE");
    expect(active.validUntil!.getTime() - active.validFrom!.getTime()).toBe(30 * DAY_MS);

    const renewal = await startLicensePurchase({ licenseId: bought.licenseId, actor: { userId: admin.id } });
    expect(renewal.checkoutId).not.toBe(bought.checkoutId);
    await completeSimulatedCheckout(renewal.checkoutId, "4242424242424242");
    const renewed = await db().license.findUniqueOrThrow({ where: { id: bought.licenseId } });
    expect(renewed.validUntil!.getTime()).toBe(active.validUntil!.getTime() + 30 * DAY_MS);
  });

  it("refuses a theater admin buying for another theater, and an archived or unknown plan", async () => {
    const { plan } = await seedPlan();
    const mine = await seedOrg({ kind: "THEATER" });
    const theirs = await seedOrg({ kind: "THEATER" });
    await expect(startLicensePurchase({ theaterOrgId: theirs.org.id, planId: plan.id, actor: { userId: mine.admin.id } })).rejects.toMatchObject({ code: "FORBIDDEN", reason: "NOT_THEATER_ADMIN" });
    await expect(startLicensePurchase({ theaterOrgId: mine.org.id, planId: "lpl_nope", actor: { userId: mine.admin.id } })).rejects.toMatchObject({ code: "NOT_FOUND", reason: "PLAN_NOT_FOUND" });
    const bought = await startLicensePurchase({ theaterOrgId: mine.org.id, planId: plan.id, actor: { userId: mine.admin.id } });
    await expect(startLicensePurchase({ licenseId: bought.licenseId, actor: { userId: theirs.admin.id } })).rejects.toMatchObject({ code: "FORBIDDEN", reason: "NOT_THEATER_ADMIN" });
    expect(await db().license.count({ where: { theaterOrgId: theirs.org.id } })).toBe(0);
  });
});
