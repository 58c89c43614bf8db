import { createHash, type KeyObject } from "node:crypto";
import { parseCheckpointText } from "../../lib/merkle/checkpoint";
import { cosignCheckpoint } from "../../lib/merkle/cosignature";
import { verifyConsistency } from "../../lib/merkle/proofs";
import {
  formatNote,
  formatSignatureLine,
  parseNote,
  verifyNoteSignature,
  type VerifierKey,
} from "../../lib/merkle/signed-note";
import { emptyTreeRoot } from "../../lib/merkle/tree-hash";
import { parseAddCheckpoint, TLOG_SIZE_MEDIA_TYPE } from "../../lib/merkle/witness-protocol";
import type { LogState, WitnessState } from "./witness-state";

export type Witness = { name: string; privateKey: KeyObject; logs: Map<string, VerifierKey> };

export type Answer = {
  status: number;
  contentType: string;
  body: string;
  /** The state to persist before answering (only on success). */
  next?: WitnessState;
  /** A validly signed request that failed a consistency check: kept as possible evidence of a misbehaving log. */
  evidence?: string;
};

const plain = (status: number, body: string, evidence?: string): Answer => ({
  status,
  contentType: "text/plain; charset=utf-8",
  body: `${body}\n`,
  evidence,
});

/**
 * One add-checkpoint request, decided against the witness's state, following
 * C2SP tlog-witness: 400 for a malformed request or an old size beyond the
 * checkpoint, 404 for an unknown origin, 403 without a valid signature of a
 * trusted key for it, 409 (with the size it holds) when the old size is not
 * the last one it cosigned, 422 when the proof does not verify (or the same
 * size comes with another root, or an empty tree with a wrong root). Otherwise
 * the checkpoint becomes the log's state and the answer is the cosignature
 * line. The caller persists `next` before answering, and runs one request at a
 * time, so the check and the update are atomic (no rollback by a race).
 */
export function addCheckpoint(witness: Witness, state: WitnessState, body: string, now: Date): Answer {
  let request: ReturnType<typeof parseAddCheckpoint>;
  let checkpoint: ReturnType<typeof parseCheckpointText>;
  let text: string;
  try {
    request = parseAddCheckpoint(body);
    text = parseNote(request.note).text;
    checkpoint = parseCheckpointText(text);
  } catch (err) {
    return plain(400, `bad request: ${(err as Error).message}`);
  }
  const logKey = witness.logs.get(checkpoint.origin);
  if (!logKey) return plain(404, `unknown log origin ${checkpoint.origin}`);
  // Signatures of other keys are ignored; one of the trusted key that fails makes the note malformed.
  if (!verifyNoteSignature(request.note, logKey))
    return plain(403, "no valid signature of the log's key on the checkpoint");
  if (request.oldSize > checkpoint.size) return plain(400, "the old size is larger than the checkpoint's");

  const held: LogState | undefined = state.logs[checkpoint.origin];
  const heldSize = held?.size ?? 0;
  if (request.oldSize !== heldSize) return { status: 409, contentType: TLOG_SIZE_MEDIA_TYPE, body: `${heldSize}\n` };

  const evidence = (reason: string) =>
    JSON.stringify({ at: now.toISOString(), origin: checkpoint.origin, reason, request: body });
  if (checkpoint.size === 0 && !checkpoint.rootHash.equals(emptyTreeRoot()))
    return plain(422, "a checkpoint of size 0 must carry the empty tree's root", evidence("empty tree, wrong root"));
  if (request.oldSize === 0 && request.proof.length > 0)
    return plain(422, "from size 0 the consistency proof is empty", evidence("proof from size 0"));
  if (held && request.oldSize > 0) {
    const oldRoot = Buffer.from(held.rootHash, "base64");
    if (!verifyConsistency(held.size, checkpoint.size, oldRoot, checkpoint.rootHash, request.proof))
      return plain(
        422,
        held.size === checkpoint.size
          ? `the log signed another root for size ${held.size}`
          : `the checkpoint of size ${checkpoint.size} is not consistent with the one of size ${held.size} cosigned before`,
        evidence("inconsistent"),
      );
  }

  const cosignature = cosignCheckpoint(text, witness.name, witness.privateKey, Math.floor(now.getTime() / 1000));
  const logSignatures = parseNote(request.note).signatures.filter(
    (s) => s.name === logKey.name && s.keyId.equals(logKey.keyId),
  );
  const next: WitnessState = {
    ...state,
    logs: {
      ...state.logs,
      [checkpoint.origin]: {
        size: checkpoint.size,
        rootHash: checkpoint.rootHash.toString("base64"),
        note: formatNote(text, [...logSignatures, cosignature]),
        cosignedAt: now.toISOString(),
      },
    },
  };
  return { status: 200, contentType: "text/plain; charset=utf-8", body: formatSignatureLine(cosignature), next };
}

/** The monitoring path of a log: the lowercase hex SHA-256 of its origin. */
export function originHash(origin: string): string {
  return createHash("sha256").update(origin).digest("hex");
}
