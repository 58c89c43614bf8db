import "server-only";
import crypto from "node:crypto";
import { exportJWK, exportPKCS8, generateKeyPair, calculateJwkThumbprint } from "jose";
import type { Tx } from "@/lib/db/client";
import { seal } from "@/lib/keys/seal";
import { signingKeyPurposes, type SigningKeyPurpose } from "@/lib/keys/signing-key-purposes";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";

export type SigningKeyMaterial = Awaited<ReturnType<typeof generateSigningKeyMaterial>>;

/**
 * A new key pair for a purpose, its private half sealed. Made outside any
 * transaction: an RSA key takes seconds on a busy machine, longer than a
 * transaction may stay open (or wait to start, on the embedded database).
 */
export async function generateSigningKeyMaterial(purpose: SigningKeyPurpose) {
  const { alg } = signingKeyPurposes[purpose];
  const { publicKey, privateKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === "RS256" ? { modulusLength: 2048 } : {}),
    ...(alg === "EdDSA" ? { crv: "Ed25519" } : {}),
  });
  const jwk = await exportJWK(publicKey);
  // The thumbprint plus a random tail: stable meaning, never reused after rotation.
  const kid = `${(await calculateJwkThumbprint(jwk)).slice(0, 16)}${crypto.randomBytes(3).toString("hex")}`;
  const publicJwk = { ...jwk, kid, alg, use: "sig" };
  return { kid, alg, publicJwk, privateSealed: seal(`signing-key-${purpose}`, await exportPKCS8(privateKey)) };
}

/** Makes a new active key for a purpose (from material made beforehand, or now); the caller retires the old one. */
export async function createSigningKey(
  tx: Tx,
  { purpose, actor, material }: { purpose: SigningKeyPurpose; actor: Actor; material?: SigningKeyMaterial },
) {
  const { kid, alg, publicJwk, privateSealed } = material ?? (await generateSigningKeyMaterial(purpose));
  const key = await tx.signingKey.create({
    data: {
      kid,
      purpose,
      alg,
      publicJwk,
      privateSealed,
      activatedAt: new Date(),
    },
    select: { kid: true, purpose: true, alg: true, createdAt: true },
  });
  await appendAuditEvent(tx, {
    actor,
    action: "signing_key.created",
    subject: { type: "signing_key", id: kid },
    state: { kid, purpose, alg, publicJwk },
    data: { purpose, alg },
  });
  return key;
}
