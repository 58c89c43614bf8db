/**
 * The log's checks as a browser runs them, with WebCrypto only: the RFC 9162
 * inclusion proof (SHA-256, leaf 0x00 || entry, node 0x01 || left || right)
 * folded to the checkpoint's root, and the checkpoint's C2SP signed-note
 * Ed25519 signature under the log's verifier key. lib/merkle does the same on
 * the server with node:crypto, which a browser does not have; WebCrypto is
 * asynchronous, so this is its own small copy, tested against the server's
 * proofs in the browser test.
 */
const encoder = new TextEncoder();

export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array<ArrayBuffer>> {
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest("SHA-256", joined));
}

export const leafHash = (entry: Uint8Array) => sha256(Uint8Array.of(0), entry);
const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(Uint8Array.of(1), left, right);
const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** RFC 9162 §2.1.3.2: the root that `proof` leads to from leaf `index` of a tree of `size`, or null if it cannot. */
export async function rootFromInclusionProof(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: Uint8Array[],
): Promise<Uint8Array | null> {
  if (!(index >= 0 && index < size)) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

export type ParsedCheckpoint = {
  text: string;
  origin: string;
  size: number;
  rootHash: Uint8Array;
  signatures: { name: string; keyId: Uint8Array; signature: Uint8Array<ArrayBuffer> }[];
};

/** A C2SP checkpoint note: origin, size, base64 root, a blank line, then `— name base64(keyid || signature)` lines. */
export function parseCheckpointNote(note: string): ParsedCheckpoint {
  const split = note.lastIndexOf("\n\n");
  if (split < 0 || !note.endsWith("\n")) throw new Error("not a signed note");
  const text = note.slice(0, split + 1);
  const [origin, sizeText, rootText] = text.split("\n");
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText ?? "")) throw new Error("bad checkpoint size");
  const signatures = note
    .slice(split + 2, -1)
    .split("\n")
    .map((line) => {
      const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
      if (!match) throw new Error("malformed signature line");
      const bytes = base64ToBytes(match[2]);
      return { name: match[1], keyId: bytes.slice(0, 4), signature: bytes.slice(4) };
    });
  return { text, origin, size: Number(sizeText), rootHash: base64ToBytes(rootText ?? ""), signatures };
}

/** `name+hexkeyid+base64(0x01 || Ed25519 key)`, with the key id checked against the name and key. */
export async function parseVerifierKey(vkey: string) {
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(vkey.trim());
  if (!match) throw new Error("malformed verifier key");
  const material = base64ToBytes(match[3]);
  if (material[0] !== 0x01 || material.length !== 33) throw new Error("not an Ed25519 verifier key");
  const publicKey = material.slice(1);
  const keyId = (await sha256(encoder.encode(match[1]), Uint8Array.of(0x0a, 0x01), publicKey)).slice(0, 4);
  if ([...keyId].map((b) => b.toString(16).padStart(2, "0")).join("") !== match[2])
    throw new Error("the verifier key's id does not match its key");
  return { name: match[1], keyId, publicKey };
}

/** "verified", "refused", or "unsupported" when this browser's WebCrypto has no Ed25519. */
export async function verifyCheckpointSignature(
  checkpoint: ParsedCheckpoint,
  vkey: string,
): Promise<"verified" | "refused" | "unsupported"> {
  const key = await parseVerifierKey(vkey);
  const mine = checkpoint.signatures.find((s) => s.name === key.name && equal(s.keyId, key.keyId));
  if (!mine || checkpoint.origin !== key.name) return "refused";
  let publicKey: CryptoKey;
  try {
    publicKey = await crypto.subtle.importKey("raw", key.publicKey, { name: "Ed25519" }, false, ["verify"]);
  } catch {
    return "unsupported";
  }
  const ok = await crypto.subtle.verify(
    { name: "Ed25519" },
    publicKey,
    mine.signature,
    encoder.encode(checkpoint.text),
  );
  return ok ? "verified" : "refused";
}

export type BrowserVerdict = {
  leafHash: string;
  inclusion: "verified" | "refused";
  signature: "verified" | "refused" | "unsupported";
  treeSize: number;
};

/** Both checks of one entry's proof against its checkpoint. */
export async function verifyEntryInBrowser(input: {
  entry: string;
  index: number;
  proof: string[];
  checkpoint: string;
  verifierKey: string;
}): Promise<BrowserVerdict> {
  const checkpoint = parseCheckpointNote(input.checkpoint);
  const leaf = await leafHash(encoder.encode(input.entry));
  const root = await rootFromInclusionProof(input.index, checkpoint.size, leaf, input.proof.map(base64ToBytes));
  return {
    leafHash: bytesToBase64(leaf),
    inclusion: root && equal(root, checkpoint.rootHash) ? "verified" : "refused",
    signature: await verifyCheckpointSignature(checkpoint, input.verifierKey),
    treeSize: checkpoint.size,
  };
}
