import "server-only";
import { db } from "@/lib/db/client";
import { loadX509 } from "@/lib/licensing/load-x509";
import { getCurrentCrl } from "@/lib/licensing/get-current-crl";

/** The bytes behind /.well-known/guildhall/ca/<file>, or null. */
export async function getPublishedCaFile(
  file: string,
): Promise<{ body: Uint8Array | Buffer; contentType: string; maxAgeSeconds: number } | null> {
  if (file === "root.pem") {
    const root = await db().certificateAuthority.findFirst({ where: { kind: "root" } });
    return root
      ? { body: Buffer.from(root.certificatePem), contentType: "application/x-pem-file", maxAgeSeconds: 86_400 }
      : null;
  }
  if (file === "predecessors.pem") {
    // A fork's origin's roots (docs/EXPORTS.md): hosts add them beside root.pem to keep trusting what it issued.
    const roots = await db().certificateAuthority.findMany({
      where: { kind: "predecessor_root" },
      orderBy: { createdAt: "asc" },
    });
    return roots.length > 0
      ? {
          body: Buffer.from(`${roots.map((r) => r.certificatePem.trim()).join("\n")}\n`),
          contentType: "application/x-pem-file",
          maxAgeSeconds: 86_400,
        }
      : null;
  }
  if (file === "cross-signed.pem") {
    // A fork's root's certificates for its origin's intermediates (lib/licensing/cross-sign-predecessors.ts):
    // hosts trusting the fork's root add them to chain and check what the origin issued.
    const certs = await db().certificateAuthority.findMany({
      where: { kind: { in: ["cross_certificate", "crl_signer"] } },
      orderBy: [{ createdAt: "asc" }, { kind: "asc" }],
    });
    return certs.length > 0
      ? {
          body: Buffer.from(`${certs.map((c) => c.certificatePem.trim()).join("\n")}\n`),
          contentType: "application/x-pem-file",
          maxAgeSeconds: 86_400,
        }
      : null;
  }
  const m = /^(ca_[A-Za-z0-9_-]+)\.(cer|crl)$/.exec(file);
  if (!m) return null;
  if (m[2] === "cer") {
    const ca = await db().certificateAuthority.findUnique({ where: { id: m[1] } });
    const x509 = await loadX509();
    return ca?.kind === "intermediate" || ca?.kind === "predecessor_intermediate"
      ? {
          body: new Uint8Array(new x509.X509Certificate(ca.certificatePem).rawData),
          contentType: "application/pkix-cert",
          maxAgeSeconds: 86_400,
        }
      : null;
  }
  const crl = await getCurrentCrl(m[1]);
  // Hosts should refetch well before nextUpdate; the portal re-signs at half-life.
  return crl ? { body: crl.der, contentType: "application/pkix-crl", maxAgeSeconds: 300 } : null;
}
