import "server-only";
import { db } from "@/lib/db/client";
import { x509 } from "@/lib/licensing/x509";
import { getCurrentCrl } from "@/lib/licensing/get-current-crl";

/** The root CA certificate this portal's database holds, or null before `ca init`. */
export async function getRootCaPem(): Promise<string | null> {
  return (await db().certificateAuthority.findFirst({ where: { kind: "root" } }))?.certificatePem ?? null;
}

/**
 * What the database holds to check a license certificate below the root:
 * every intermediate, and the current CRL of the one that issued it
 * (`licenses verify` without --chain and --crl).
 */
export async function getIntermediateTrust(certPem: string): Promise<{ intermediatesPem: string; crls: Uint8Array[] }> {
  const issuer = new x509.X509Certificate(
    certPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)?.[0] ?? certPem,
  ).issuer;
  const cas = await db().certificateAuthority.findMany({ where: { kind: "intermediate" } });
  const ca = cas.find((c) => c.subject === issuer || new x509.X509Certificate(c.certificatePem).subject === issuer);
  const crl = ca ? await getCurrentCrl(ca.id) : null;
  return { intermediatesPem: cas.map((c) => c.certificatePem).join("\n"), crls: crl ? [crl.der] : [] };
}
