import crypto from "node:crypto";
import { base64url } from "jose";

/**
 * Authenticated encryption at rest (AES-256-GCM) under a key derived per
 * purpose from a master key with HKDF. The sealed form names the master key
 * (by a short fingerprint) so a rotated master key can be told apart:
 *   v1.<masterKid>.<purpose>.<iv>.<ciphertext>.<tag>   (base64url parts)
 *
 * The master key is always passed in: lib/keys/seal.ts supplies the
 * configured MASTER_KEY; the end-to-end tests, which cannot load the server's
 * configuration, pass the one they started the portal with.
 */
function masterKid(master: Buffer): string {
  return crypto.createHash("sha256").update(master).digest("hex").slice(0, 12);
}

function purposeKey(master: Buffer, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", master, Buffer.alloc(0), `guildhall:${purpose}`, 32));
}

export function sealWithKey(purpose: string, plaintext: string | Buffer, master: Buffer): string {
  if (!/^[a-z0-9-]+$/.test(purpose)) throw new Error(`seal: bad purpose ${purpose}`);
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", purposeKey(master, purpose), iv);
  cipher.setAAD(Buffer.from(purpose));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [
    "v1",
    masterKid(master),
    purpose,
    base64url.encode(iv),
    base64url.encode(ct),
    base64url.encode(cipher.getAuthTag()),
  ].join(".");
}

export function unsealWithKey(purpose: string, sealed: string, master: Buffer): Buffer {
  const [version, kid, sealedPurpose, iv, ct, tag] = sealed.split(".");
  if (version !== "v1" || !tag) throw new Error("unseal: not a sealed value");
  if (sealedPurpose !== purpose) throw new Error(`unseal: sealed for ${sealedPurpose}, not ${purpose}`);
  if (kid !== masterKid(master))
    throw new Error(
      `unseal: sealed under master key ${kid}, which is not the configured MASTER_KEY (run with the MASTER_KEY the portal runs with)`,
    );
  const decipher = crypto.createDecipheriv("aes-256-gcm", purposeKey(master, purpose), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(purpose));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]);
}

/** A key of its own for `purpose`, derived from the master key (HKDF), for uses other than sealing (an HMAC key). */
export function derivedKey(master: Buffer, purpose: string): Buffer {
  return purposeKey(master, purpose);
}
