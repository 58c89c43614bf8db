import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { makeAppleTestPki } from "@/tests/support/app-store-signer";
import { signAppleNotification } from "@/tests/support/store-notifications";
import { startAppleApiDouble } from "@/tests/support/apple-api-double";
import { resetAppStoresConfigForTests } from "@/lib/config/app-stores";
import { seedOrg } from "@/tests/support/factories";
import { seedStoreCatalog } from "./store-catalog";

export const BUNDLE_ID = "org.guildhall.app";
export const TICKET_PRODUCT = "org.guildhall.ticket.hamlet";
export const LICENSE_PRODUCT = "org.guildhall.license.monthly";
export const DAY_MS = 86_400_000;

/**
 * The cast of the App Store tests: the tests' own Apple certificate chain
 * (its root is the configured Apple root), an App Store Server API double
 * with a key of its own, the stores' catalog (store-catalog.ts) as App Store
 * products, and a second theater.
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

  const catalog = await seedStoreCatalog("apple", { ticket: TICKET_PRODUCT, license: LICENSE_PRODUCT });
  const otherTheater = await seedOrg({ kind: "THEATER" });
  return { pki, api, ...catalog, otherTheater };
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
