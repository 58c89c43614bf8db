import { cliIo } from "../io";
import { createReadStream } from "node:fs";
import readline from "node:readline";
import type { CliCommand } from "../command";
import { CliError, flag, output } from "../command";
import { readAuditEvents } from "@/lib/audit/read-audit-events";
import { sequenceAllPendingAuditEvents } from "@/lib/audit/sequence-audit-events";
import { verifyAuditRecords } from "@/lib/audit/verify-audit-chain";
import type { AuditEventRecord } from "@/lib/audit/audit-event-hash";
import { verifyLogHistory } from "@/lib/transparency/verify-log-history";
import { assertReadableFile, readInputText } from "../read-input-file";

/** The members verifyAuditRecords reads of each line, so a line of another shape is refused here and named. */
function isAuditLine(value: unknown): value is AuditEventRecord & { hash: string } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const line = value as Record<string, unknown>;
  const seqIsInteger =
    (typeof line.seq === "number" && Number.isSafeInteger(line.seq)) ||
    (typeof line.seq === "string" && /^\d{1,30}$/.test(line.seq));
  return seqIsInteger && typeof line.hash === "string" && typeof line.prevHash === "string";
}

export const auditExport: CliCommand = {
  name: "audit export",
  summary: "print every audit event as JSON Lines, in chain order",
  usage: "audit export",
  async run() {
    // Acts committed in the last moments are placed first, as the integrator's next round would.
    await sequenceAllPendingAuditEvents();
    for await (const record of readAuditEvents()) cliIo().stdout(`${JSON.stringify(record)}\n`);
  },
};

async function* readJsonLines(file: string): AsyncGenerator<AuditEventRecord & { hash: string }> {
  // Streamed, so no bound on its size; but a missing file, a directory or an empty one is named as such.
  assertReadableFile(file, "audit export (JSON Lines)");
  const lines = readline.createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n += 1;
    if (!line.trim()) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new CliError(`${file}:${n}: not a JSON line`);
    }
    if (!isAuditLine(parsed))
      throw new CliError(`${file}:${n}: not an audit event (seq, prevHash and hash are expected)`);
    yield parsed;
  }
}

export const auditVerify: CliCommand = {
  name: "audit verify",
  summary:
    "verify the history: the hash chain, and against the transparency log and its signed checkpoints (or the chain of an export with --file)",
  usage: "audit verify [--file EXPORT.jsonl] [--checkpoint FILE[,FILE...]] [--key VKEY] [--json]",
  needsDatabase: (args) => args.flags.file === undefined,
  async run(args) {
    const file = flag(args, "file");
    if (!file) await sequenceAllPendingAuditEvents();
    const verdict = await verifyAuditRecords(file ? readJsonLines(file) : readAuditEvents());
    if (file || !verdict.ok) {
      output(args, verdict, () =>
        verdict.ok
          ? [`audit chain OK: ${verdict.count} events, head ${verdict.headHash}`]
          : [`audit chain BROKEN at event ${verdict.seq} (${verdict.id}): ${verdict.problem}`],
      );
      if (!verdict.ok) cliIo().exitCode = 1;
      return;
    }
    // Checkpoints a party kept (a witness's, a monitor's): the history must still reach and match them.
    const kept = (flag(args, "checkpoint") ?? "")
      .split(",")
      .filter(Boolean)
      .map((path) => readInputText(path, "checkpoint"));
    const log = await verifyLogHistory(kept, flag(args, "key"));
    output(args, { chain: verdict, log }, () => [
      `audit chain OK: ${verdict.count} events, head ${verdict.headHash}`,
      log.ok
        ? `transparency log OK: ${log.integrated} of ${log.events} events published, matching the roots of ${log.checkpointsChecked} checkpoints`
        : `transparency log FAILED: ${log.problem}`,
    ]);
    if (!log.ok) cliIo().exitCode = 1;
  },
};
