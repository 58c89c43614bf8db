import "server-only";
import path from "node:path";
import { db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { initCertificateAuthority } from "@/lib/licensing/init-certificate-authority";
import { createLicensePlan } from "@/lib/licensing/create-license-plan";

/**
 * For the demo seed only: sets up the org CA (the root key lands in
 * DATA_DIR/ca/, where a real operator would never leave it) and two plans,
 * so a fresh clone can walk the whole license flow. Returns the root key path.
 */
export async function seedLicensingDemo(): Promise<string | null> {
  if (await db().certificateAuthority.findFirst({ where: { kind: "root" } })) return null;
  const rootKeyPath = path.join(env().dataDir, "ca", `demo-root-key-${Date.now()}.pem`);
  await initCertificateAuthority({ rootKeyPath, actor: { type: "system", id: "seed" } });
  const actor = { type: "system" as const, id: "seed" };
  await createLicensePlan({
    name: "Stage",
    termDays: 365,
    priceMinor: 60000,
    currency: "EUR",
    entitlements: { venues: 1, seats: 400, showsPerMonth: 30 },
    actor,
  }); // €600.00
  await createLicensePlan({
    name: "Festival",
    termDays: 365,
    priceMinor: 240000,
    currency: "EUR",
    entitlements: { venues: 5, seats: 5000, showsPerMonth: 200 },
    actor,
  }); // €2,400.00
  return rootKeyPath;
}
