import crypto from "node:crypto";

/** Serial numbers as lower-case hex without leading zero bytes, the one form stored and compared. */
export function normalizeSerial(hex: string): string {
  return hex.toLowerCase().replace(/^(00)+(?=[0-9a-f]{2})/, "");
}

/** SHA-256 (base64url) of a SubjectPublicKeyInfo: the key fingerprint licenses name. */
export async function spkiSha256(spkiDer: ArrayBuffer | Uint8Array): Promise<string> {
  return crypto.createHash("sha256").update(new Uint8Array(spkiDer)).digest("base64url");
}
