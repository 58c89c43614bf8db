import "server-only";
import { parseCheckpointText } from "../../merkle/checkpoint";
import { verifyInclusion } from "../../merkle/proofs";
import { parseNote, parseVerifierKey, verifyNoteSignature } from "../../merkle/signed-note";
import { leafHash } from "../../merkle/tree-hash";
import { ballotLogStateDigest } from "./ballot-content";
import type { ProposalExport } from "./export-format";

type Entry = {
  action?: string;
  subject?: { type?: string; id?: string };
  state?: { digest?: string };
  data?: { ballotId?: unknown; countedLogEntries?: unknown };
};

/**
 * Holds an export's ballots to the log entries it carries, offline:
 *  1. the checkpoint is signed by the log key, when one is given (else a note
 *     says it was not checked: a key must come from elsewhere than the export);
 *  2. every entry's inclusion proof leads to that checkpoint's root;
 *  3. each ballot naming a carried entry is that entry's ballot (id and state
 *     digest over every field of the ballot), and every carried ballot entry of
 *     the proposal has its ballot in the export (none was dropped from it);
 *  4. the tally's entry names exactly the entries the stored tally counted.
 */
export function verifyExportLog(exp: ProposalExport, logKey?: string): { problems: string[]; notes: string[] } {
  const log = exp.log;
  if (!log) return { problems: [], notes: ["the export carries no log entries: not held to the log offline"] };
  const problems: string[] = [];
  const notes: string[] = [];
  let checkpoint: ReturnType<typeof parseCheckpointText>;
  try {
    checkpoint = parseCheckpointText(parseNote(log.checkpoint).text);
  } catch (e) {
    return { problems: [`the export's log checkpoint is unreadable: ${(e as Error).message}`], notes };
  }
  // The key is the caller's (checked by it); one that does not parse verifies nothing.
  if (logKey && !verifyNoteSignature(log.checkpoint, parseVerifierKey(logKey)))
    problems.push("the export's log checkpoint is not signed by the log key given");
  if (!logKey) notes.push("the log checkpoint's signature was not checked (give the log key to check it)");
  const entries = new Map<number, Entry>();
  for (const e of log.entries) {
    const proof = e.proof.map((h) => Buffer.from(h, "base64"));
    if (!verifyInclusion(e.index, checkpoint.size, leafHash(Buffer.from(e.entry)), proof, checkpoint.rootHash))
      problems.push(`log entry ${e.index} is not in the log's checkpoint of size ${checkpoint.size}`);
    else entries.set(e.index, JSON.parse(e.entry) as Entry);
  }
  const p = exp.proposal;
  const ballotsByEntry = new Map(exp.ballots.map((b) => [b.logEntry, b]));
  for (const b of exp.ballots) {
    const entry = typeof b.logEntry === "number" ? entries.get(b.logEntry) : undefined;
    if (!entry) continue;
    const digest = ballotLogStateDigest({ ...b, ballotId: b.id, proposalId: p.id });
    if (entry.action !== "ballot.cast" || entry.data?.ballotId !== b.id || entry.state?.digest !== digest)
      problems.push(`ballot ${b.id} differs from its log entry ${b.logEntry}`);
  }
  for (const [index, entry] of entries) {
    if (entry.subject?.type !== "proposal" || entry.subject.id !== p.id)
      problems.push(`log entry ${index} is not about proposal ${p.id}`);
    else if (entry.action === "ballot.cast" && !ballotsByEntry.has(index))
      problems.push(`log entry ${index} records ballot ${String(entry.data?.ballotId)}, which the export lacks`);
    else if (entry.action === "proposal.closed") {
      const named = JSON.stringify(entry.data?.countedLogEntries ?? null);
      if (named !== JSON.stringify(exp.result?.countedLogEntries ?? null))
        problems.push(`the tally's log entry ${index} counted entries ${named}, the export's tally others`);
    }
  }
  return { problems, notes };
}
