import "server-only";
import fs from "node:fs";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { Actor } from "@/lib/access/actor";
import { loadX509 } from "@/lib/licensing/load-x509";
import { caKeyAlgorithm } from "@/lib/licensing/ca-algorithms";
import { issueIntermediateCa } from "@/lib/licensing/issue-intermediate-ca";
import { publishCrl } from "@/lib/licensing/publish-crl";

/**
 * `ca rotate-intermediate`: the operator brings the root key back from
 * offline storage for one command; a new issuing intermediate is signed and
 * the old one retired. The key file must match the stored root certificate.
 */
export async function rotateIssuingCa(opts: { rootKeyPath: string; actor: Actor; now?: Date }) {
  const x509 = await loadX509();
  const now = opts.now ?? new Date();
  const root = await db().certificateAuthority.findFirst({ where: { kind: "root" } });
  if (!root)
    throw new AppError("PRECONDITION_FAILED", {
      reason: "CA_NOT_INITIALIZED",
      userMessage: "There is no org CA yet; run `ca init` first.",
    });
  const rootCert = new x509.X509Certificate(root.certificatePem);
  let privateKey: CryptoKey;
  try {
    privateKey = await globalThis.crypto.subtle.importKey(
      "pkcs8",
      x509.PemConverter.decodeFirst(fs.readFileSync(opts.rootKeyPath, "utf8")),
      caKeyAlgorithm,
      false,
      ["sign"],
    );
  } catch {
    throw new AppError("BAD_REQUEST", {
      reason: "ROOT_KEY_UNREADABLE",
      userMessage: `${opts.rootKeyPath} is not a P-256 PKCS#8 private key.`,
    });
  }
  // Prove the key is the root's before signing anything with it.
  const probe = new TextEncoder().encode(`guildhall-root-check-${now.toISOString()}`);
  const signature = await globalThis.crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, privateKey, probe);
  const publicKey = await rootCert.publicKey.export({ ...caKeyAlgorithm }, ["verify"]);
  if (!(await globalThis.crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, publicKey, signature, probe))) {
    throw new AppError("BAD_REQUEST", {
      reason: "ROOT_KEY_MISMATCH",
      userMessage: "That key is not the private key of the org root CA.",
    });
  }
  return db().$transaction(async (tx) => {
    const made = await issueIntermediateCa(tx, {
      root: { id: root.id, certificate: rootCert, privateKey },
      now,
      actor: opts.actor,
    });
    await publishCrl(tx, made.id, now);
    return made;
  });
}
