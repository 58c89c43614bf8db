import "server-only";
import crypto from "node:crypto";
import { env } from "@/lib/config/env";

/**
 * Authenticated encryption at rest (AES-256-GCM) under a key derived per
 * purpose from the master key with HKDF. The sealed form names the master key
 * (by a short fingerprint) so a rotated master key can be told apart:
 *   v1.<masterKid>.<purpose>.<iv>.<ciphertext>.<tag>   (base64url parts)
 */
function masterKid(master: Buffer): string {
  return crypto.createHash("sha256").update(master).digest("hex").slice(0, 12);
}

function purposeKey(master: Buffer, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", master, Buffer.alloc(0), `guildhall:${purpose}`, 32));
}

export function seal(purpose: string, plaintext: string | Buffer, master: Buffer = env().masterKey): string {
  if (!/^[a-z0-9-]+$/.test(purpose)) throw new Error(`seal: bad purpose ${purpose}`);
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", purposeKey(master, purpose), iv);
  cipher.setAAD(Buffer.from(purpose));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const b64 = (b: Buffer) => b.toString("base64url");
  return ["v1", masterKid(master), purpose, b64(iv), b64(ct), b64(cipher.getAuthTag())].join(".");
}

export function unseal(purpose: string, sealed: string, master: Buffer = env().masterKey): Buffer {
  const [version, kid, sealedPurpose, iv, ct, tag] = sealed.split(".");
  if (version !== "v1" || !tag) throw new Error("unseal: not a sealed value");
  if (sealedPurpose !== purpose) throw new Error(`unseal: sealed for ${sealedPurpose}, not ${purpose}`);
  if (kid !== masterKid(master))
    throw new Error(`unseal: sealed under master key ${kid}, which is not the configured MASTER_KEY`);
  const decipher = crypto.createDecipheriv("aes-256-gcm", purposeKey(master, purpose), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(purpose));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]);
}
