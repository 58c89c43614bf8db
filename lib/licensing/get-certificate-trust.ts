import "server-only";
import { db } from "@/lib/db/client";
import { loadX509 } from "@/lib/licensing/load-x509";
import { getCurrentCrl } from "@/lib/licensing/get-current-crl";

/**
 * The root CA certificates this portal trusts, as one PEM bundle: its own (after `ca init`) and, on a fork,
 * its origin's (`predecessor_root`, docs/EXPORTS.md), so what the origin issued verifies until it expires.
 * Null when there is none.
 */
export async function getRootCaPem(): Promise<string | null> {
  const roots = await db().certificateAuthority.findMany({
    where: { kind: { in: ["root", "predecessor_root"] } },
    orderBy: [{ kind: "asc" }, { createdAt: "asc" }],
    select: { certificatePem: true },
  });
  return roots.length > 0 ? roots.map((r) => r.certificatePem.trim()).join("\n") : null;
}

/** The issuer named by the first certificate of a PEM text, or undefined when it is not one. */
async function issuerOf(certPem: string): Promise<string | undefined> {
  const x509 = await loadX509();
  try {
    return new x509.X509Certificate(
      certPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)?.[0] ?? certPem,
    ).issuer;
  } catch {
    return undefined;
  }
}

/**
 * What the database holds to check a license certificate below the root:
 * every intermediate (a fork's predecessors' too, with the fork root's cross-certificates and CRL signers for
 * them), and the current CRL of the one that issued it (`licenses verify` without --chain and --crl).
 */
export async function getIntermediateTrust(certPem: string): Promise<{ intermediatesPem: string; crls: Uint8Array[] }> {
  const x509 = await loadX509();
  const issuer = await issuerOf(certPem);
  // A certificate that cannot be read names no issuer: the verifier reports it MALFORMED (not a parser's error here).
  if (issuer === undefined) return { intermediatesPem: "", crls: [] };
  const cas = await db().certificateAuthority.findMany({
    where: { kind: { in: ["intermediate", "predecessor_intermediate", "cross_certificate", "crl_signer"] } },
  });
  const ca = cas.find(
    (c) =>
      (c.kind === "intermediate" || c.kind === "predecessor_intermediate") &&
      (c.subject === issuer || new x509.X509Certificate(c.certificatePem).subject === issuer),
  );
  const crl = ca ? await getCurrentCrl(ca.id) : null;
  return { intermediatesPem: cas.map((c) => c.certificatePem).join("\n"), crls: crl ? [crl.der] : [] };
}
