import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { unseal } from "@/lib/keys/seal";
import type * as X509 from "@peculiar/x509";
import { loadX509 } from "@/lib/licensing/load-x509";
import { caKeyAlgorithm } from "@/lib/licensing/ca-algorithms";
import { INTERMEDIATE_SEAL_PURPOSE } from "@/lib/licensing/issue-intermediate-ca";

export type IssuingCa = {
  id: string;
  subject: string;
  certificate: X509.X509Certificate;
  certificatePem: string;
  rootPem: string;
  privateKey: CryptoKey;
  /** Computed once: every certificate and CRL of this CA carries it. */
  authorityKeyIdentifier: X509.AuthorityKeyIdentifierExtension;
};

// Imported keys derive from the database, so a per-process cache is safe.
const cache = new Map<string, Promise<IssuingCa>>();

async function load(
  client: Tx,
  ca: { id: string; subject: string; certificatePem: string; privateSealed: string | null; parentId: string | null },
): Promise<IssuingCa> {
  const x509 = await loadX509();
  if (!ca.privateSealed || !ca.parentId) throw new Error(`certificate authority ${ca.id} has no issuing key`);
  const root = await client.certificateAuthority.findUniqueOrThrow({
    where: { id: ca.parentId },
    select: { certificatePem: true },
  });
  const der = x509.PemConverter.decodeFirst(unseal(INTERMEDIATE_SEAL_PURPOSE, ca.privateSealed).toString("utf8"));
  const privateKey = await globalThis.crypto.subtle.importKey("pkcs8", der, caKeyAlgorithm, false, ["sign"]);
  const certificate = new x509.X509Certificate(ca.certificatePem);
  const authorityKeyIdentifier = await x509.AuthorityKeyIdentifierExtension.create(certificate.publicKey);
  return {
    id: ca.id,
    subject: ca.subject,
    certificate,
    certificatePem: ca.certificatePem,
    rootPem: root.certificatePem,
    privateKey,
    authorityKeyIdentifier,
  };
}

/**
 * A given intermediate with its private key (also a retired one: it still
 * signs its CRL), or a fork's CRL signer for an origin intermediate
 * (lib/licensing/cross-sign-predecessors.ts). Inside a transaction pass it as `client`: the embedded
 * database has one connection, which the transaction holds.
 */
export async function getCaOrThrow(id: string, client: Tx = db()): Promise<IssuingCa> {
  let entry = cache.get(id);
  if (!entry) {
    const ca = await client.certificateAuthority.findUnique({ where: { id } });
    if (ca?.kind !== "intermediate" && ca?.kind !== "crl_signer")
      throw new AppError("NOT_FOUND", { reason: "CA_NOT_FOUND", userMessage: `No issuing CA ${id}.` });
    entry = load(client, ca);
    cache.set(id, entry);
    entry.catch(() => cache.delete(id));
  }
  return entry;
}

// Which intermediate is active is re-read every few seconds rather than per
// issuance. After `ca rotate-intermediate` another process may still issue
// from the old one for that long, which is harmless: it stays trusted and
// keeps publishing its CRL.
const ACTIVE_CA_TTL_MS = 5_000;
let activeCa: { id: string; readAt: number } | undefined;

/** The intermediate that issues certificates now. */
export async function getIssuingCa(): Promise<IssuingCa> {
  if (activeCa && Date.now() - activeCa.readAt < ACTIVE_CA_TTL_MS) return getCaOrThrow(activeCa.id);
  const ca = await db().certificateAuthority.findFirst({
    where: { kind: "intermediate", retiredAt: null },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  activeCa = ca ? { id: ca.id, readAt: Date.now() } : undefined;
  if (!ca)
    throw new AppError("UNAVAILABLE", {
      reason: "CA_NOT_INITIALIZED",
      userMessage: "The org CA is not set up yet: an operator runs `npm run cli -- ca init`.",
    });
  return getCaOrThrow(ca.id);
}

/**
 * What signs the CRLs of a CA: an intermediate itself; for an origin's
 * intermediate at a fork, the fork's CRL signer of that name (null before
 * `ca init` made one: the origin's last CRL is then all there is).
 */
export async function getCrlIssuer(caId: string, client: Tx = db()): Promise<IssuingCa | null> {
  const ca = await client.certificateAuthority.findUnique({
    where: { id: caId },
    select: { kind: true, subject: true },
  });
  if (ca?.kind !== "predecessor_intermediate") return getCaOrThrow(caId, client);
  const signer = await client.certificateAuthority.findFirst({
    where: { kind: "crl_signer", subject: ca.subject, privateSealed: { not: null } },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  return signer ? getCaOrThrow(signer.id, client) : null;
}
