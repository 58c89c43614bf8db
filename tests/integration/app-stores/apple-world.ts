import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { seedOrg, seedUser } from "@/tests/support/factories";
import { seedPaymentsWorld } from "@/tests/support/payments-factories";
import { makeAppleTestPki } from "@/tests/support/app-store-signer";
import { signAppleNotification } from "@/tests/support/store-notifications";
import { startAppleApiDouble } from "@/tests/support/apple-api-double";
import { resetAppStoresConfigForTests } from "@/lib/config/app-stores";
import { createLicensePlan } from "@/lib/licensing/create-license-plan";
import { addStoreProduct } from "@/lib/app-stores/store-products";
import { registerAppAccountToken } from "@/lib/app-stores/app-account-token";

export const BUNDLE_ID = "org.guildhall.app";
export const TICKET_PRODUCT = "org.guildhall.ticket.hamlet";
export const LICENSE_PRODUCT = "org.guildhall.license.monthly";
export const DAY_MS = 86_400_000;

/**
 * The cast of the App Store tests: the tests' own Apple certificate chain
 * (its root is the configured Apple root), an App Store Server API double
 * with a key of its own, a theater with an admin signed in to the app (their
 * app account token registered), a ticket product and a monthly license
 * product, and the active split policies.
 */
export async function setupAppleWorld(opts: { consumptionConsent?: boolean } = {}) {
  const pki = await makeAppleTestPki();
  const keys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
  ])) as CryptoKeyPair;
  const pem = (der: ArrayBuffer, label: string) =>
    `-----BEGIN ${label}-----\n${Buffer.from(der).toString("base64")}\n-----END ${label}-----\n`;
  const keyPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gh-apple-key-")), "SubscriptionKey_TEST.p8");
  fs.writeFileSync(keyPath, pem(await crypto.subtle.exportKey("pkcs8", keys.privateKey), "PRIVATE KEY"));
  const api = await startAppleApiDouble({
    bundleId: BUNDLE_ID,
    keyPath,
    publicKeyPem: pem(await crypto.subtle.exportKey("spki", keys.publicKey), "PUBLIC KEY"),
  });
  Object.assign(process.env, {
    APPLE_BUNDLE_ID: BUNDLE_ID,
    APPLE_ENVIRONMENT: "Sandbox",
    APPLE_ROOT_CERTIFICATES: pki.rootPath,
    APPLE_ONLINE_CHECKS: "0",
    APPLE_COMMISSION_BPS: "1500",
    APPLE_API_KEY_PATH: keyPath,
    APPLE_API_KEY_ID: api.keyId,
    APPLE_API_ISSUER_ID: api.issuerId,
    APPLE_API_BASE: api.base,
    APPLE_CONSUMPTION_CONSENT: opts.consumptionConsent ? "1" : "0",
  });
  resetAppStoresConfigForTests();

  const world = await seedPaymentsWorld();
  const theater = world.theater.org;
  const admin = world.theater.admin;
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
  const cli = { type: "system" as const, id: "test" };
  await addStoreProduct({
    store: "apple",
    productId: TICKET_PRODUCT,
    kind: "ticket",
    theaterOrgId: theater.id,
    showId: "show-hamlet",
    actor: cli,
  });
  await addStoreProduct({
    store: "apple",
    productId: LICENSE_PRODUCT,
    kind: "license",
    theaterOrgId: theater.id,
    planId: plan.id,
    actor: cli,
  });
  const adminToken = (
    await registerAppAccountToken({ userId: admin.id, clientId: "gh_app", subject: `sub-${admin.id}` })
  ).appAccountToken;
  const strangerToken = (
    await registerAppAccountToken({ userId: stranger.id, clientId: "gh_app", subject: `sub-${stranger.id}` })
  ).appAccountToken;
  const otherTheater = await seedOrg({ kind: "THEATER" });
  return { pki, api, ...world, theater, admin, stranger, plan, adminToken, strangerToken, otherTheater };
}

export type AppleWorld = Awaited<ReturnType<typeof setupAppleWorld>>;

let serial = 1_000_000;
export const nextTransactionId = () => String(++serial);

/** A transaction as the App Store signs it (prices in milliunits). */
export function transactionPayload(over: Record<string, unknown>) {
  const id = (over.transactionId as string | undefined) ?? nextTransactionId();
  const now = Date.now();
  return {
    transactionId: id,
    originalTransactionId: id,
    bundleId: BUNDLE_ID,
    productId: TICKET_PRODUCT,
    purchaseDate: now,
    originalPurchaseDate: now,
    quantity: 1,
    type: "Consumable",
    inAppOwnershipType: "PURCHASED",
    signedDate: now,
    environment: "Sandbox",
    transactionReason: "PURCHASE",
    storefront: "FRA",
    currency: "EUR",
    price: 12990,
    ...over,
  };
}

/** A signed notification around a transaction (and renewal info), as Apple posts it, for this world's app. */
export function signedNotification(
  world: AppleWorld,
  type: string,
  transaction: object | null,
  extra: { subtype?: string; signedDate?: number; renewal?: object; uuid?: string; data?: object } = {},
) {
  return signAppleNotification({ sign: world.pki.sign, type, transaction, bundleId: BUNDLE_ID, ...extra });
}
