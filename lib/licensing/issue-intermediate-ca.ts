import "server-only";
import { env } from "@/lib/config/env";
import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { seal } from "@/lib/keys/seal";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import type * as X509 from "@peculiar/x509";
import { loadX509 } from "@/lib/licensing/load-x509";
import {
  addYears,
  caKeyAlgorithm,
  caSigningAlgorithm,
  INTERMEDIATE_VALIDITY_YEARS,
  randomSerialHex,
} from "@/lib/licensing/ca-algorithms";
import { licensingPaths, licensingUrl } from "@/lib/licensing/license-urls";

export const INTERMEDIATE_SEAL_PURPOSE = "ca-intermediate";

/**
 * Makes a new issuing intermediate signed by the root key (which the operator
 * brings from offline storage for this moment only) and retires the previous
 * one: it stops issuing but keeps publishing its CRL until its certificates
 * have expired. Its private key is sealed under the master key.
 */
export async function issueIntermediateCa(
  tx: Tx,
  {
    root,
    actor,
    now = new Date(),
  }: { root: { id: string; certificate: X509.X509Certificate; privateKey: CryptoKey }; actor: Actor; now?: Date },
) {
  const x509 = await loadX509();
  const keys = (await globalThis.crypto.subtle.generateKey(caKeyAlgorithm, true, ["sign", "verify"])) as CryptoKeyPair;
  const id = newId("ca");
  const serialHex = randomSerialHex();
  const subject = `CN=Guildhall Issuing CA ${now.toISOString().slice(0, 10)} ${id.slice(-6)}, O=Guildhall`;
  const notAfter = addYears(now, INTERMEDIATE_VALIDITY_YEARS);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex,
    subject,
    issuer: root.certificate.subject,
    notBefore: now,
    notAfter: new Date(Math.min(notAfter.getTime(), root.certificate.notAfter.getTime())),
    publicKey: keys.publicKey,
    signingKey: root.privateKey,
    signingAlgorithm: caSigningAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(root.certificate.publicKey),
      new x509.AuthorityInfoAccessExtension({
        caIssuers: licensingUrl(env().publicUrl, licensingPaths.rootCertificate),
      }),
    ],
  });
  const pkcs8 = x509.PemConverter.encode(
    await globalThis.crypto.subtle.exportKey("pkcs8", keys.privateKey),
    "PRIVATE KEY",
  );

  const retired = await tx.certificateAuthority.updateManyAndReturn({
    where: { kind: "intermediate", retiredAt: null },
    data: { retiredAt: now },
    select: { id: true },
  });
  await tx.certificateAuthority.create({
    data: {
      id,
      kind: "intermediate",
      subject,
      serialHex,
      certificatePem: certificate.toString("pem"),
      privateSealed: seal(INTERMEDIATE_SEAL_PURPOSE, pkcs8),
      notBefore: certificate.notBefore,
      notAfter: certificate.notAfter,
      parentId: root.id,
    },
  });
  for (const r of retired) {
    await appendAuditEvent(tx, {
      actor,
      action: "certificate_authority.retired",
      subject: { type: "certificate_authority", id: r.id },
      state: { retiredAt: now },
      data: { kind: "intermediate" },
    });
  }
  await appendAuditEvent(tx, {
    actor,
    action: "certificate_authority.created",
    subject: { type: "certificate_authority", id },
    state: { kind: "intermediate", subject, serialHex, certificatePem: certificate.toString("pem") },
    data: { kind: "intermediate", subject, serialHex, parentId: root.id },
  });
  return { id, subject, certificate };
}
