import { cliIo } from "../io";
import { createReadStream, readFileSync } from "node:fs";
import readline from "node:readline";
import type { CliCommand } from "../command";
import { CliError, flag, output } from "../command";
import { readAuditEvents } from "@/lib/audit/read-audit-events";
import { verifyAuditRecords } from "@/lib/audit/verify-audit-chain";
import type { AuditEventRecord } from "@/lib/audit/audit-event-hash";
import { verifyLogHistory } from "@/lib/transparency/verify-log-history";

export const auditExport: CliCommand = {
  name: "audit export",
  summary: "print every audit event as JSON Lines, in chain order",
  usage: "audit export",
  async run() {
    for await (const record of readAuditEvents()) cliIo().stdout(JSON.stringify(record) + "\n");
  },
};

async function* readJsonLines(file: string): AsyncGenerator<AuditEventRecord & { hash: string }> {
  const lines = readline.createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n += 1;
    if (!line.trim()) continue;
    try {
      yield JSON.parse(line);
    } catch {
      throw new CliError(`${file}:${n}: not a JSON line`);
    }
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
      .map((path) => readFileSync(path, "utf8"));
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
