import { HASH_BYTES } from "./tree-hash";

/**
 * C2SP tlog-witness, add-checkpoint: the request body is an old size line
 * (`old <n>`), up to 63 consistency proof lines (one base64 hash each), an
 * empty line, then the checkpoint's signed note. Shared by the witness
 * server (tools/witness) and the log's side that calls it, so both read and
 * write exactly one format.
 */
export type AddCheckpointRequest = { oldSize: number; proof: Buffer[]; note: string };

export const MAX_PROOF_LINES = 63;
/** The media type of a 409's body: the witness's latest cosigned size and a newline. */
export const TLOG_SIZE_MEDIA_TYPE = "text/x.tlog.size";

export function formatAddCheckpoint(r: AddCheckpointRequest): string {
  if (r.proof.length > MAX_PROOF_LINES) throw new Error("a consistency proof has at most 63 hashes");
  return `old ${r.oldSize}\n${r.proof.map((h) => `${h.toString("base64")}\n`).join("")}\n${r.note}`;
}

/** Parses a request body; throws (the witness answers 400) when it is not one. */
export function parseAddCheckpoint(body: string): AddCheckpointRequest {
  const lines: string[] = [];
  let at = 0;
  for (;;) {
    const end = body.indexOf("\n", at);
    if (end < 0) throw new Error("the request ends before the empty line that precedes the checkpoint");
    const line = body.slice(at, end);
    at = end + 1;
    if (line === "") break;
    lines.push(line);
    if (lines.length > MAX_PROOF_LINES + 1) throw new Error("more than 63 consistency proof lines");
  }
  const [oldLine, ...proofLines] = lines;
  const old = /^old (0|[1-9][0-9]*)$/.exec(oldLine ?? "");
  if (!old || !Number.isSafeInteger(Number(old[1]))) throw new Error("the first line is not `old <size>`");
  const proof = proofLines.map((line) => {
    const hash = Buffer.from(line, "base64");
    if (hash.length !== HASH_BYTES || hash.toString("base64") !== line)
      throw new Error("a consistency proof line is not one base64 SHA-256 hash");
    return hash;
  });
  return { oldSize: Number(old[1]), proof, note: body.slice(at) };
}

/** A 409's body: the size the witness holds. */
export function parseTlogSize(body: string): number {
  const match = /^(0|[1-9][0-9]*)\n$/.exec(body);
  if (!match || !Number.isSafeInteger(Number(match[1]))) throw new Error("not a text/x.tlog.size body");
  return Number(match[1]);
}
