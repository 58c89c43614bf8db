import "server-only";
import { findLogReceiptIfAny } from "@/lib/transparency/find-log-receipt";
import { proveInclusion } from "@/lib/transparency/prove";
import { getLatestCheckpoint } from "@/lib/transparency/read-log";
import type { ProposalExport } from "@/lib/governance/verifier/export-format";

/**
 * The export with its ballots' log entries (and its tally's) as the log
 * published them, each with its inclusion proof against the latest signed
 * checkpoint, so anyone holding the export checks offline that every ballot is
 * the one logged when it was cast (lib/governance/verifier/verify-export-log.ts).
 * A proof costs a few tile reads: the public export and the CLI attach them,
 * the proposal's page does not.
 */
export async function attachLogProofs(exported: ProposalExport): Promise<ProposalExport> {
  const checkpoint = await getLatestCheckpoint();
  if (!checkpoint) return { ...exported, log: null };
  const tally =
    exported.proposal.status === "closed"
      ? await findLogReceiptIfAny({ kind: "tally", id: exported.proposal.id })
      : null;
  const indexes = [...exported.ballots.map((b) => b.logEntry), ...(tally ? [tally.index] : [])].filter(
    (i): i is number => typeof i === "number" && i < checkpoint.size,
  );
  const entries = [];
  for (const index of [...new Set(indexes)].sort((a, b) => a - b)) {
    const proof = await proveInclusion(index, checkpoint.size);
    entries.push({ index, entry: proof.entry, proof: proof.proof });
  }
  return { ...exported, log: { checkpoint: checkpoint.note, entries } };
}
