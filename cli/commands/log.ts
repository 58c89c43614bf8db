import type { CliCommand } from "../command";
import { flag, output } from "../command";
import { CliError } from "../command";
import { cliIo } from "../io";
import fs from "node:fs";
import { readInputText } from "../read-input-file";
import { env } from "@/lib/config/env";
import { runMonitor } from "../../tools/log-verify/run-monitor";
import { integrateWholeLog } from "@/lib/transparency/integrate-whole-log";
import { findLogVerifierKey } from "@/lib/transparency/log-signer";
import { seedDemoWitnesses } from "@/lib/seed/seed-demo-witnesses";
import { removeHostWitness, setHostWitness } from "@/lib/transparency/witnesses/set-host-witness";
import { countingWitnesses, witnessQuorum } from "@/lib/transparency/witnesses/counting-witnesses";
import { sendCheckpointToWitnesses } from "@/lib/transparency/witnesses/send-checkpoint-to-witnesses";
import { getPublishedCheckpoint } from "@/lib/transparency/witnesses/published-checkpoint";

import { cliActor } from "@/lib/access/actor";

export const logWitnessSet: CliCommand = {
  name: "log witness set",
  summary:
    "set an admitted host's witness (its C2SP cosigner key and URL), replacing the previous one; audited, with a reason",
  usage: "log witness set --host ORG_ID --vkey VKEY --url URL --reason TEXT [--json]",
  async run(args) {
    const w = await setHostWitness({
      hostOrgId: flag(args, "host", true),
      verifierKey: flag(args, "vkey", true),
      url: flag(args, "url", true),
      reason: flag(args, "reason", true),
      actor: cliActor,
    });
    output(args, w, () => [`witness ${w.name} (${w.witnessId}) set`]);
  },
};

export const logWitnessRemove: CliCommand = {
  name: "log witness remove",
  summary: "take a host's witness out (it no longer counts toward the quorum); audited, with a reason",
  usage: "log witness remove --host ORG_ID --reason TEXT [--json]",
  async run(args) {
    const w = await removeHostWitness({
      hostOrgId: flag(args, "host", true),
      reason: flag(args, "reason", true),
      actor: cliActor,
    });
    output(args, w, () => [`witness ${w.witnessId} removed`]);
  },
};

export const logWitnessList: CliCommand = {
  name: "log witness list",
  summary: "the witnesses that count (admitted hosts'), the quorum, and the published checkpoint's cosignatures",
  usage: "log witness list [--json]",
  async run(args) {
    const witnesses = await countingWitnesses();
    const published = await getPublishedCheckpoint();
    const data = {
      quorum: witnessQuorum(witnesses.length),
      witnesses: witnesses.map((w) => ({
        id: w.id,
        hostOrgId: w.hostOrgId,
        name: w.name,
        url: w.url,
        verifierKey: w.verifierKey,
        cosignedSize: w.cosignedSize === null ? null : Number(w.cosignedSize),
        lastError: w.lastError,
      })),
      published: published && {
        size: published.size,
        witnessed: published.witnessed,
        cosigners: published.cosigners.map((c) => c.name),
      },
    };
    output(args, data, () => [
      `quorum ${data.quorum} of ${witnesses.length} counting witness(es)`,
      ...data.witnesses.map(
        (w) =>
          `  ${w.name} (host ${w.hostOrgId}) ${w.url}: cosigned ${w.cosignedSize ?? "nothing"}${w.lastError ? `; last error: ${w.lastError}` : ""}`,
      ),
      published
        ? `published checkpoint ${published.size}: ${published.witnessed ? "witnessed" : "NOT witnessed"} (${published.cosigners.length} cosignature(s))`
        : "no checkpoint yet",
    ]);
  },
};

export const logWitnessRun: CliCommand = {
  name: "log witness run",
  summary:
    "integrate the log and send its newest checkpoint to the witnesses now (the portal does both in the background)",
  usage: "log witness run [--json]",
  async run(args) {
    const integrated = await integrateWholeLog();
    const round = await sendCheckpointToWitnesses();
    output(args, { size: integrated.size, round }, () => [
      round
        ? `checkpoint ${round.size}: cosigned by ${round.cosigned}, quorum ${round.required}${Object.entries(
            round.errors,
          )
            .map(([name, e]) => `\n  ${name}: ${e}`)
            .join("")}`
        : "no checkpoint yet",
    ]);
  },
};

export const logKey: CliCommand = {
  name: "log key",
  summary: "print the log's C2SP verifier key (what /log/key serves; give it to witnesses and verifiers)",
  usage: "log key",
  async run() {
    const vkey = await findLogVerifierKey();
    if (!vkey) throw new CliError("the log has no key yet: it is made with the first checkpoint");
    output({ positionals: [], flags: {} }, vkey, () => [vkey]);
  },
};

export const logWitnessDemo: CliCommand = {
  name: "log witness demo",
  summary:
    "development only: make the given witnesses those of as many admitted hosts, admitting demo hosts without a vote if needed",
  usage: "log witness demo --vkeys VKEY,VKEY,... --urls URL,URL,... [--json]",
  async run(args) {
    const vkeys = flag(args, "vkeys", true).split(",");
    const urls = flag(args, "urls", true).split(",");
    if (vkeys.length !== urls.length) throw new CliError("--vkeys and --urls name as many witnesses");
    const set = await seedDemoWitnesses(vkeys.map((verifierKey, i) => ({ verifierKey, url: urls[i] })));
    output(args, set, () =>
      set.map((w) => `${w.name}: witness of host ${w.hostOrgId}${w.changed ? "" : " (already)"}`),
    );
  },
};

const list = (value: string | undefined) => (value ?? "").split(",").filter(Boolean);

/**
 * The monitor's state file, checked before the monitor starts: absent is a
 * first run; present, it must be a readable JSON document of version 1
 * (tools/log-verify/monitor.ts reads it), so a wrong path is named here
 * rather than failing as a JSON or file-system error inside the monitor.
 */
function assertMonitorStateFile(file: string): void {
  if (!fs.existsSync(file)) return;
  let state: unknown;
  try {
    state = JSON.parse(readInputText(file, "monitor state file"));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${file}: not a monitor state file (not JSON)`);
  }
  if ((state as { version?: unknown } | null)?.version !== 1) throw new CliError(`${file}: not a monitor state file`);
}

export const logMonitor: CliCommand = {
  name: "log monitor",
  summary:
    "follow the public log from its tiles (HTTP), verify each checkpoint against the last one seen (a state file), and report revocations, suspensions, new OIDC clients, key rotations, host admissions (or entries by subject/action)",
  usage:
    "log monitor --state FILE [--log URL] [--key VKEY] [--subject TYPE:ID,...] [--action PREFIX,...] [--all] [--from-latest] [--witness VKEY,... --quorum K] [--follow SECONDS] [--json]",
  needsDatabase: () => false,
  async run(args) {
    const follow = flag(args, "follow");
    if (follow !== undefined && !/^[0-9]{1,5}$/.test(follow))
      throw new CliError("--follow takes whole seconds (1 to 99999)");
    if (follow !== undefined && Number(follow) < 1) throw new CliError("--follow takes whole seconds (1 to 99999)");
    const stateFile = flag(args, "state", true);
    assertMonitorStateFile(stateFile);
    const quorum = flag(args, "quorum");
    if (quorum !== undefined && !/^[0-9]{1,2}$/.test(quorum)) throw new CliError("--quorum takes a small whole number");
    const log = flag(args, "log") ?? `${env().publicUrl}/log`;
    const code = await runMonitor({
      log,
      key: flag(args, "key"),
      stateFile,
      witnesses: list(flag(args, "witness")),
      quorum: quorum === undefined ? 0 : Number(quorum),
      subjects: list(flag(args, "subject")),
      actions: list(flag(args, "action")),
      all: args.flags.all === true,
      start: args.flags["from-latest"] === true ? "latest" : "first",
      followSeconds: follow === undefined ? undefined : Number(follow),
      json: args.flags.json === true,
      write: (line) => cliIo().stdout(`${line}\n`),
      // Not forwarded to a portal (it needs no database), so warnings go to this process's stderr.
      warn: (line) => void process.stderr.write(`${line}\n`),
    }).catch((e: unknown) => {
      // The log is another server, reached over the network: an unreachable or unreadable one is an expected failure.
      if (e instanceof TypeError && e.message === "fetch failed")
        throw new CliError(
          `cannot reach the log at ${log} (${String((e.cause as Error | undefined)?.message ?? e.message)})`,
        );
      throw e;
    });
    if (code !== 0) cliIo().exitCode = code;
  },
};

export const logCommands: CliCommand[] = [
  logKey,
  logMonitor,
  logWitnessSet,
  logWitnessRemove,
  logWitnessList,
  logWitnessRun,
  logWitnessDemo,
];
