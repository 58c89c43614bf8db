import { createHash, createPublicKey, sign, verify, type KeyObject } from "node:crypto";

/**
 * C2SP signed-note: a text ending in a newline, a blank line, then signature
 * lines `— <key name> base64(4-byte key id || signature)`. Verifier keys are
 * `<name>+<hex key id>+base64(type || public key)`. Signature types used here:
 * 0x01 (Ed25519, the log's own checkpoint signature) and 0x04 (timestamped
 * Ed25519 cosignature, tlog-cosignature).
 */
export const SIGNATURE_TYPE = { ed25519: 0x01, cosignatureV1: 0x04 } as const;
export type SignatureType = (typeof SIGNATURE_TYPE)[keyof typeof SIGNATURE_TYPE];

export type NoteSignature = { name: string; keyId: Buffer; signature: Buffer };
export type VerifierKey = { name: string; type: SignatureType; keyId: Buffer; publicKey: Buffer };

const DASH = "\u2014";
const MAX_SIGNATURES = 64;

export function noteKeyId(name: string, type: SignatureType, publicKey: Uint8Array): Buffer {
  return createHash("sha256")
    .update(name)
    .update(Buffer.from([0x0a, type]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

export function formatVerifierKey(name: string, type: SignatureType, publicKey: Uint8Array): string {
  const material = Buffer.concat([Buffer.from([type]), publicKey]).toString("base64");
  return `${name}+${noteKeyId(name, type, publicKey).toString("hex")}+${material}`;
}

/** Parses a vkey and checks that its key id is the one its name, type and key give. */
export function parseVerifierKey(vkey: string): VerifierKey {
  // The name and the id hold no "+"; the base64 key material may.
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(vkey.trim());
  if (!match) throw new Error("malformed verifier key");
  const parts = match.slice(1);
  const material = Buffer.from(parts[2], "base64");
  const type = material[0];
  if (type !== SIGNATURE_TYPE.ed25519 && type !== SIGNATURE_TYPE.cosignatureV1)
    throw new Error(`verifier key type ${type} not supported`);
  const publicKey = material.subarray(1);
  if (publicKey.length !== 32) throw new Error("an Ed25519 verifier key holds 32 bytes");
  const keyId = noteKeyId(parts[0], type, publicKey);
  if (keyId.toString("hex") !== parts[1]) throw new Error("verifier key id does not match its key");
  return { name: parts[0], type, keyId, publicKey };
}

/** Splits a signed note into its text (with the final newline) and signature lines. */
export function parseNote(note: string): { text: string; signatures: NoteSignature[] } {
  const split = note.lastIndexOf("\n\n");
  if (split < 0 || !note.endsWith("\n")) throw new Error("not a signed note: no blank line before the signatures");
  for (let i = 0; i < note.length; i++) {
    const code = note.charCodeAt(i);
    if (code < 0x20 && code !== 0x0a) throw new Error("a note holds no control characters but newlines");
  }
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split("\n");
  if (lines.length > MAX_SIGNATURES) throw new Error("too many signatures");
  const signatures = lines.map((line) => {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!match) throw new Error(`malformed signature line: ${line.slice(0, 80)}`);
    const bytes = Buffer.from(match[2], "base64");
    if (bytes.length < 5) throw new Error("signature too short");
    return { name: match[1], keyId: bytes.subarray(0, 4), signature: bytes.subarray(4) };
  });
  return { text, signatures };
}

export function formatSignatureLine(s: NoteSignature): string {
  return `${DASH} ${s.name} ${Buffer.concat([s.keyId, s.signature]).toString("base64")}\n`;
}

/** A note: the text, a blank line, the signature lines (duplicates of one key dropped). */
export function formatNote(text: string, signatures: readonly NoteSignature[]): string {
  const seen = new Set<string>();
  const lines = signatures.filter((s) => {
    const key = `${s.name} ${s.keyId.toString("hex")}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return `${text}\n${lines.map(formatSignatureLine).join("")}`;
}

export function ed25519PublicKeyObject(publicKey: Uint8Array): KeyObject {
  return createPublicKey({
    key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(publicKey).toString("base64url") },
    format: "jwk",
  });
}

/** The raw 32 bytes of an Ed25519 key object's public half. */
export function ed25519RawPublicKey(key: KeyObject): Buffer {
  const jwk = (key.type === "public" ? key : createPublicKey(key)).export({ format: "jwk" });
  if (jwk.crv !== "Ed25519" || typeof jwk.x !== "string") throw new Error("not an Ed25519 key");
  return Buffer.from(jwk.x, "base64url");
}

/** The log's own signature (type 0x01) on a note text. */
export function signNoteText(text: string, name: string, privateKey: KeyObject): NoteSignature {
  const keyId = noteKeyId(name, SIGNATURE_TYPE.ed25519, ed25519RawPublicKey(privateKey));
  return { name, keyId, signature: sign(null, Buffer.from(text), privateKey) };
}

/** Finds the signature of `key` (type 0x01) on the note and checks it; false when absent or wrong. */
export function verifyNoteSignature(note: string, key: VerifierKey): boolean {
  if (key.type !== SIGNATURE_TYPE.ed25519) return false;
  const { text, signatures } = parseNote(note);
  const mine = signatures.filter((s) => s.name === key.name && s.keyId.equals(key.keyId));
  return (
    mine.length > 0 &&
    mine.every((s) => verify(null, Buffer.from(text), ed25519PublicKeyObject(key.publicKey), s.signature))
  );
}
