import "server-only";
import fs from "node:fs";
import path from "node:path";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { loadX509 } from "@/lib/licensing/load-x509";
import {
  addYears,
  caKeyAlgorithm,
  caSigningAlgorithm,
  randomSerialHex,
  ROOT_VALIDITY_YEARS,
} from "@/lib/licensing/ca-algorithms";
import { issueIntermediateCa } from "@/lib/licensing/issue-intermediate-ca";
import { publishCrl } from "@/lib/licensing/publish-crl";
import { crossSignPredecessors } from "@/lib/licensing/cross-sign-predecessors";

/**
 * `ca init`: makes the org root CA and its first issuing intermediate. The
 * root's private key is written once to `rootKeyPath` (mode 0600, never
 * overwritten) for the operator to move offline; it is not stored in the
 * database, so the running portal can never sign with it. Refuses when a root
 * exists already: a second root would split the trust hosts have pinned. At a
 * fork, the new root also cross-signs the origin's intermediates and makes the
 * CRL signers that keep their CRLs current (crossSignPredecessors).
 */
export async function initCertificateAuthority(opts: { rootKeyPath: string; actor: Actor; now?: Date }) {
  const x509 = await loadX509();
  const now = opts.now ?? new Date();
  if (await db().certificateAuthority.findFirst({ where: { kind: "root" } })) {
    throw new AppError("CONFLICT", {
      reason: "CA_EXISTS",
      userMessage: "The org CA exists already; use `ca rotate-intermediate` to make a new issuing CA.",
    });
  }
  if (fs.existsSync(opts.rootKeyPath))
    throw new AppError("CONFLICT", {
      reason: "ROOT_KEY_FILE_EXISTS",
      userMessage: `${opts.rootKeyPath} exists already; refusing to overwrite a key.`,
    });

  const keys = (await globalThis.crypto.subtle.generateKey(caKeyAlgorithm, true, ["sign", "verify"])) as CryptoKeyPair;
  const id = newId("ca");
  const serialHex = randomSerialHex();
  const subject = "CN=Guildhall Root CA, O=Guildhall";
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialHex,
    name: subject,
    notBefore: now,
    notAfter: addYears(now, ROOT_VALIDITY_YEARS),
    keys,
    signingAlgorithm: caSigningAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = x509.PemConverter.encode(
    await globalThis.crypto.subtle.exportKey("pkcs8", keys.privateKey),
    "PRIVATE KEY",
  );
  fs.mkdirSync(path.dirname(opts.rootKeyPath), { recursive: true, mode: 0o700 });
  fs.writeFileSync(opts.rootKeyPath, `${pkcs8}\n`, { mode: 0o600, flag: "wx" });

  try {
    const intermediate = await db().$transaction(async (tx) => {
      await tx.certificateAuthority.create({
        data: {
          id,
          kind: "root",
          subject,
          serialHex,
          certificatePem: certificate.toString("pem"),
          notBefore: certificate.notBefore,
          notAfter: certificate.notAfter,
        },
      });
      await appendAuditEvent(tx, {
        actor: opts.actor,
        action: "certificate_authority.created",
        subject: { type: "certificate_authority", id },
        state: { kind: "root", subject, serialHex, certificatePem: certificate.toString("pem") },
        data: { kind: "root", subject, serialHex },
      });
      const root = { id, certificate, privateKey: keys.privateKey };
      const made = await issueIntermediateCa(tx, { root, now, actor: opts.actor });
      await publishCrl(tx, made.id, now);
      const crossSigned = await crossSignPredecessors(tx, { root, now, actor: opts.actor });
      for (const predecessorId of crossSigned) await publishCrl(tx, predecessorId, now);
      return { ...made, crossSigned };
    });
    return {
      rootId: id,
      rootCertificatePem: certificate.toString("pem"),
      rootKeyPath: opts.rootKeyPath,
      intermediateId: intermediate.id,
      crossSignedPredecessorIds: intermediate.crossSigned,
    };
  } catch (e) {
    // Nothing was stored, so the key file names no CA: remove it rather than leave a stray root key.
    fs.rmSync(opts.rootKeyPath, { force: true });
    throw e;
  }
}
