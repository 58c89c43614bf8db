import { sign, verify, type KeyObject } from "node:crypto";
import {
  SIGNATURE_TYPE,
  ed25519PublicKeyObject,
  ed25519RawPublicKey,
  noteKeyId,
  parseNote,
  type NoteSignature,
  type VerifierKey,
} from "./signed-note";

/**
 * C2SP tlog-cosignature, Ed25519 (type 0x04): the cosigner signs
 * `cosignature/v1\ntime <t>\n` followed by the checkpoint's note text, and the
 * signature line carries the key id, the timestamp as a big-endian uint64 and
 * the 64-byte signature.
 */
export function cosignedMessage(checkpointText: string, timestampSeconds: number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${timestampSeconds}\n${checkpointText}`);
}

export function cosignCheckpoint(
  checkpointText: string,
  name: string,
  privateKey: KeyObject,
  timestampSeconds: number,
): NoteSignature {
  const keyId = noteKeyId(name, SIGNATURE_TYPE.cosignatureV1, ed25519RawPublicKey(privateKey));
  const time = Buffer.alloc(8);
  time.writeBigUInt64BE(BigInt(timestampSeconds));
  const signature = sign(null, cosignedMessage(checkpointText, timestampSeconds), privateKey);
  return { name, keyId, signature: Buffer.concat([time, signature]) };
}

/** The timestamp of `key`'s valid cosignature on the note, or null when it has none (or a bad one). */
export function verifyCosignature(note: string, key: VerifierKey): number | null {
  if (key.type !== SIGNATURE_TYPE.cosignatureV1) return null;
  const { text, signatures } = parseNote(note);
  const mine = signatures.find((s) => s.name === key.name && s.keyId.equals(key.keyId));
  if (mine?.signature.length !== 72) return null;
  const time = mine.signature.readBigUInt64BE(0);
  if (time > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  const ok = verify(
    null,
    cosignedMessage(text, Number(time)),
    ed25519PublicKeyObject(key.publicKey),
    mine.signature.subarray(8),
  );
  return ok ? Number(time) : null;
}
