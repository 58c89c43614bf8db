import "server-only";
import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { seal } from "@/lib/keys/seal";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import type * as X509 from "@peculiar/x509";
import { loadX509 } from "@/lib/licensing/load-x509";
import { caKeyAlgorithm, caSigningAlgorithm, randomSerialHex } from "@/lib/licensing/ca-algorithms";
import { INTERMEDIATE_SEAL_PURPOSE } from "@/lib/licensing/issue-intermediate-ca";

type Root = { id: string; certificate: X509.X509Certificate; privateKey: CryptoKey };

/**
 * At a fork, with its root key at hand (`ca init`): two certificates from the
 * fork's root for each of the origin's intermediates still in force
 * (`predecessor_intermediate`), so that a host trusting the fork's root alone
 * accepts what the origin issued and can check its revocation (docs/EXPORTS.md):
 *  - a cross-certificate (`cross_certificate`): the origin intermediate's
 *    name and key, signed by the fork's root, so origin-issued certificates
 *    chain to the fork. It signs nothing here (the fork has no origin key);
 *  - a CRL signer (`crl_signer`): the same name, a new key of the fork's, and
 *    the cRLSign usage only (it cannot issue a certificate in the origin's
 *    name), so the fork signs current CRLs for the origin's certificates with
 *    it (RFC 5280 §5: a CRL issuer may sign with another key than the one
 *    that signed the certificates), numbered on from the origin's last.
 * Both end with the origin intermediate (or the fork's root, if sooner).
 * Returns the ids of the intermediates whose CRLs the fork now signs.
 */
export async function crossSignPredecessors(
  tx: Tx,
  { root, actor, now = new Date() }: { root: Root; actor: Actor; now?: Date },
): Promise<string[]> {
  const x509 = await loadX509();
  const predecessors = await tx.certificateAuthority.findMany({
    where: { kind: "predecessor_intermediate", notAfter: { gt: now } },
    orderBy: { createdAt: "asc" },
  });
  const done: string[] = [];
  for (const p of predecessors) {
    const origin = new x509.X509Certificate(p.certificatePem);
    const notAfter = new Date(Math.min(origin.notAfter.getTime(), root.certificate.notAfter.getTime()));
    const common = {
      subject: origin.subject,
      issuer: root.certificate.subject,
      notBefore: now,
      notAfter,
      signingKey: root.privateKey,
      signingAlgorithm: caSigningAlgorithm,
    };
    const originKeyId = origin.getExtension(x509.SubjectKeyIdentifierExtension);
    const cross = await x509.X509CertificateGenerator.create({
      ...common,
      serialNumber: randomSerialHex(),
      publicKey: origin.publicKey,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        originKeyId ?? (await x509.SubjectKeyIdentifierExtension.create(origin.publicKey)),
        await x509.AuthorityKeyIdentifierExtension.create(root.certificate.publicKey),
      ],
    });
    const keys = (await globalThis.crypto.subtle.generateKey(caKeyAlgorithm, true, [
      "sign",
      "verify",
    ])) as CryptoKeyPair;
    const signer = await x509.X509CertificateGenerator.create({
      ...common,
      serialNumber: randomSerialHex(),
      publicKey: keys.publicKey,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(root.certificate.publicKey),
      ],
    });
    const pkcs8 = x509.PemConverter.encode(
      await globalThis.crypto.subtle.exportKey("pkcs8", keys.privateKey),
      "PRIVATE KEY",
    );
    for (const [kind, cert, sealed] of [
      ["cross_certificate", cross, null],
      ["crl_signer", signer, seal(INTERMEDIATE_SEAL_PURPOSE, pkcs8)],
    ] as const) {
      const id = newId("ca");
      const certificatePem = cert.toString("pem");
      await tx.certificateAuthority.create({
        data: {
          id,
          kind,
          subject: p.subject,
          serialHex: cert.serialNumber,
          certificatePem,
          privateSealed: sealed,
          notBefore: cert.notBefore,
          notAfter: cert.notAfter,
          parentId: root.id,
        },
      });
      await appendAuditEvent(tx, {
        actor,
        action: "certificate_authority.created",
        subject: { type: "certificate_authority", id },
        state: { kind, subject: p.subject, serialHex: cert.serialNumber, certificatePem },
        data: { kind, subject: p.subject, serialHex: cert.serialNumber, parentId: root.id, predecessorId: p.id },
      });
    }
    done.push(p.id);
  }
  return done;
}
