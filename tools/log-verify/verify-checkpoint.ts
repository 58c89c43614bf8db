import { parseCheckpointText, type Checkpoint } from "../../lib/merkle/checkpoint";
import { verifyCosignature } from "../../lib/merkle/cosignature";
import { parseNote, parseVerifierKey, verifyNoteSignature } from "../../lib/merkle/signed-note";

export type CheckedCheckpoint = Checkpoint & { note: string; cosigners: { name: string; time: number }[] };

/**
 * A checkpoint that carries the log's valid signature, with the cosignatures
 * of the given witnesses that verify; throws when the log's signature is
 * missing or wrong, or fewer than `quorum` witnesses cosigned.
 */
export function verifyCheckpoint(
  note: string,
  logKey: string,
  witnessKeys: readonly string[] = [],
  quorum = 0,
): CheckedCheckpoint {
  const key = parseVerifierKey(logKey);
  if (!verifyNoteSignature(note, key)) throw new Error(`checkpoint: no valid signature of ${key.name}`);
  const checkpoint = parseCheckpointText(parseNote(note).text);
  if (checkpoint.origin !== key.name) throw new Error(`checkpoint: origin ${checkpoint.origin} is not ${key.name}`);
  const cosigners = witnessKeys.flatMap((vkey) => {
    const witness = parseVerifierKey(vkey);
    const time = verifyCosignature(note, witness);
    return time === null ? [] : [{ name: witness.name, time }];
  });
  if (cosigners.length < quorum)
    throw new Error(`checkpoint: cosigned by ${cosigners.length} of the witnesses given, ${quorum} required`);
  return { ...checkpoint, note, cosigners };
}
