import { seedUser } from "@/tests/support/factories";
import { seedPaymentsWorld } from "@/tests/support/payments-factories";
import { createLicensePlan } from "@/lib/licensing/create-license-plan";
import { addStoreProduct } from "@/lib/app-stores/store-products";
import { registerAppAccountToken } from "@/lib/app-stores/app-account-token";
import type { StoreName } from "@/lib/app-stores/store-transaction";

/**
 * What both stores' tests sell, once the store is configured: the payments world (a theater with its admin, the
 * active split policies), a user who is not the theater's admin, a monthly license plan, the store's ticket product
 * (a seat at show-hamlet) and license product for the theater, and both users signed in to the app (their app account
 * tokens).
 */
export async function seedStoreCatalog(store: StoreName, products: { ticket: string; license: string }) {
  const payments = await seedPaymentsWorld();
  const theater = payments.theater.org;
  const admin = payments.theater.admin;
  const { user: stranger } = await seedUser({ name: "Not an admin" });
  const { user: orgAdmin } = await seedUser({ roles: ["ORG_ADMIN"] });
  const plan = await createLicensePlan({
    name: "Monthly",
    termDays: 30,
    priceMinor: 4999,
    currency: "EUR",
    entitlements: { venues: 1 },
    actor: { type: "user", id: orgAdmin.id },
  });
  const actor = { type: "system" as const, id: "test" };
  await addStoreProduct({
    store,
    productId: products.ticket,
    kind: "ticket",
    theaterOrgId: theater.id,
    showId: "show-hamlet",
    actor,
  });
  await addStoreProduct({
    store,
    productId: products.license,
    kind: "license",
    theaterOrgId: theater.id,
    planId: plan.id,
    actor,
  });
  const appAccountToken = async (userId: string) =>
    (await registerAppAccountToken({ userId, clientId: "gh_app", subject: `sub-${userId}` })).appAccountToken;
  return {
    ...payments,
    theater,
    admin,
    stranger,
    plan,
    adminToken: await appAccountToken(admin.id),
    strangerToken: await appAccountToken(stranger.id),
  };
}
