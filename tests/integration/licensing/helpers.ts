import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { seedOrg, seedUser } from "@/tests/support/factories";
import { x509 } from "@/lib/licensing/x509";
import { initCertificateAuthority } from "@/lib/licensing/init-certificate-authority";
import { createLicensePlan } from "@/lib/licensing/create-license-plan";
import { activateLicenseForPaidOrder } from "@/lib/licensing/activate-license-for-paid-order";

export const DAY_MS = 86_400_000;

/** Makes the org CA once per test file; the root key goes to a temporary folder. */
let ca: Promise<Awaited<ReturnType<typeof initCertificateAuthority>> & { dir: string }> | undefined;
export function setupCa() {
  ca ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-ca-"));
    const made = await initCertificateAuthority({
      rootKeyPath: path.join(dir, "root-key.pem"),
      actor: { type: "system", id: "test" },
    });
    return { ...made, dir };
  })();
  return ca;
}

export async function seedPlan(opts: { termDays?: number } = {}) {
  const { user: orgAdmin } = await seedUser({ roles: ["ORG_ADMIN"] });
  const plan = await createLicensePlan({
    name: `Plan ${newId("x").slice(-5)}`,
    termDays: opts.termDays ?? 365,
    priceMinor: 120000,
    currency: "eur",
    entitlements: { venues: 2, seats: 800, showsPerMonth: 40 },
    actor: // €1,200.00
      { type: "user", id: orgAdmin.id },
  });
  return { plan, orgAdmin };
}

/** A theater with a license on a plan, paid at `paidAt` (default now) through the payments fulfiller. */
export async function seedActiveLicense(opts: { termDays?: number; paidAt?: Date } = {}) {
  const { plan, orgAdmin } = await seedPlan(opts);
  const { org, admin } = await seedOrg({ kind: "THEATER" });
  const license = await db().license.create({
    data: {
      id: newId("lic"),
      theaterOrgId: org.id,
      planId: plan.id,
      entitlements: plan.entitlements as object,
      termDays: plan.termDays,
      createdById: admin.id,
    },
  });
  const orderId = newId("ord");
  await db().$transaction((tx) =>
    activateLicenseForPaidOrder(tx, {
      id: orderId,
      fulfilment: { kind: "license", licenseId: license.id },
      paidAt: opts.paidAt ?? new Date(),
    }),
  );
  return { plan, orgAdmin, org, admin, license, orderId };
}

export type KeyKind = "P-256" | "Ed25519" | "RSA-2048" | "RSA-3072" | "P-384";

const keyParams: Record<
  KeyKind,
  { gen: EcKeyGenParams | RsaHashedKeyGenParams | Algorithm; sign: Algorithm | EcdsaParams }
> = {
  "P-256": {
    gen: { name: "ECDSA", namedCurve: "P-256" } as EcKeyGenParams,
    sign: { name: "ECDSA", hash: "SHA-256" } as EcdsaParams,
  },
  "P-384": {
    gen: { name: "ECDSA", namedCurve: "P-384" } as EcKeyGenParams,
    sign: { name: "ECDSA", hash: "SHA-384" } as EcdsaParams,
  },
  Ed25519: { gen: { name: "Ed25519" }, sign: { name: "Ed25519" } },
  "RSA-2048": {
    gen: {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    } as RsaHashedKeyGenParams,
    sign: { name: "RSASSA-PKCS1-v1_5" },
  },
  "RSA-3072": {
    gen: {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 3072,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    } as RsaHashedKeyGenParams,
    sign: { name: "RSASSA-PKCS1-v1_5" },
  },
};

/** A key pair and a PKCS#10 request for it, as a theater makes them. */
export async function makeCsr(kind: KeyKind = "P-256", subject = "CN=whatever-the-theater-asks") {
  const { gen, sign } = keyParams[kind];
  const keys = (await crypto.subtle.generateKey(gen, true, ["sign", "verify"])) as CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: subject, keys, signingAlgorithm: sign });
  const keyPem = x509.PemConverter.encode(await crypto.subtle.exportKey("pkcs8", keys.privateKey), "PRIVATE KEY");
  return { csrPem: csr.toString("pem"), keys, keyPem };
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "gh-lic-"));
}

/** Runs openssl and returns { ok, out } (stdout and stderr together). */
export function openssl(args: string[]): { ok: boolean; out: string } {
  const r = spawnSync("openssl", args, { encoding: "utf8" });
  return { ok: r.status === 0, out: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}
