import { cliActor } from "@/lib/access/actor";
import { cliIo } from "../io";
import fs from "node:fs";
import type { CliCommand, ParsedArgs } from "../command";
import { CliError, flag, output } from "../command";
import { inputFileBytes, readInputText } from "../read-input-file";
import { buildProposalExport } from "@/lib/governance/build-proposal-export";
import { attachLogProofs } from "@/lib/governance/attach-log-proofs";
import { parseVerifierKey } from "@/lib/merkle/signed-note";
import { verifyProposal } from "@/lib/governance/verify-proposal";
import { verifyProposalExport } from "@/lib/governance/verifier/verify-proposal-export";
import { PROPOSAL_EXPORT_FORMAT, type ProposalExport } from "@/lib/governance/verifier/export-format";
import { closeProposal } from "@/lib/governance/close-proposal";
import { runGovernanceSweep } from "@/lib/governance/run-governance-sweep";
import { advanceTestClock } from "@/lib/governance/clock";
import { listProposals } from "@/lib/governance/list-proposals";
import { getReleaseManifest } from "@/lib/governance/publish-release-manifest";

function proposalIdArg(args: ParsedArgs): string {
  const id = args.positionals[0];
  if (!id) throw new CliError("name the proposal: PROPOSAL_ID");
  return id;
}

function readExportFile(file: string): ProposalExport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readInputText(file, "proposal export", inputFileBytes.bulk));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${file}: ${e instanceof Error ? e.message : "cannot read it as JSON"}`);
  }
  if ((parsed as { format?: unknown })?.format !== PROPOSAL_EXPORT_FORMAT)
    throw new CliError(`${file}: not a ${PROPOSAL_EXPORT_FORMAT} document`);
  return parsed as ProposalExport;
}

/** The log's verifier key (`GET /log/key`), as text or a file holding it, checked before anything is read. */
function logKeyFlag(args: ParsedArgs): string | undefined {
  const value = flag(args, "log-key");
  if (value === undefined) return undefined;
  let text = value;
  if (!(value.includes("+") && !value.includes("\n"))) {
    try {
      text = fs.readFileSync(value, "utf8").trim();
    } catch {
      throw new CliError(`--log-key: neither a verifier key nor a readable file`);
    }
  }
  try {
    parseVerifierKey(text);
  } catch (e) {
    throw new CliError(`--log-key: ${e instanceof Error ? e.message : "not a verifier key"}`);
  }
  return text;
}

const signed = (n: number) => (n > 0 ? "+1" : n < 0 ? "-1" : " 0");

export const governanceVerify: CliCommand = {
  name: "governance verify",
  summary:
    "re-verify every ballot signature of a proposal and recompute its tally and outcome (from the database, or offline from an export)",
  usage: "governance verify PROPOSAL_ID [--file EXPORT.json [--log-key VKEY]] [--json]",
  async run(args) {
    const file = flag(args, "file");
    const logKey = logKeyFlag(args);
    // The proposal id is optional with an export file (it then names the proposal the file must hold).
    const id = file ? args.positionals[0] : proposalIdArg(args);
    // From the database, the ballots are also held to the log, where each was recorded when it was cast.
    let fromDatabase: Awaited<ReturnType<typeof verifyProposal>> | null = null;
    let exported: ProposalExport;
    if (file) exported = readExportFile(file);
    else {
      fromDatabase = await verifyProposal(proposalIdArg(args));
      exported = fromDatabase.exported;
    }
    if (id && exported.proposal.id !== id) throw new CliError(`the export is of ${exported.proposal.id}, not ${id}`);
    const {
      exported: _exported,
      loggedBallots,
      ...verdict
    } = fromDatabase ?? {
      exported,
      loggedBallots: null,
      ...verifyProposalExport(exported, { logKey }),
    };
    const binding = new Map(exported.roster.map((r) => [r.userId, r.binding]));
    const t = verdict.recomputed.tally;
    output(args, { proposalId: exported.proposal.id, ...verdict }, () => [
      `proposal ${exported.proposal.id} (${exported.proposal.kind}): ${exported.proposal.title}`,
      `digest ${exported.proposal.digest}, ${exported.proposal.status}, window ${exported.proposal.openedAt} → ${exported.proposal.closesAt}`,
      `ballots signed for ${exported.relyingParty.origin}${(exported.relyingPartyChanges ?? []).map((c) => `, from ${c.from} (a fork) for ${c.origin}`).join("")}`,
      ...verdict.ballots.map(
        (b) =>
          `  ${b.valid ? "ok " : "BAD"} ${b.id} ${b.voterId} ${signed(b.choice)} ${binding.get(b.voterId) ? "binding" : "non-binding"} ${b.castAt}${b.problem ? ` — ${b.problem}` : ""}${b.note ? ` (${b.note})` : ""}`,
      ),
      `recomputed: binding +1 ${t.binding.plus}, 0 ${t.binding.zero}, -1 ${t.binding.minus}; non-binding +1 ${t.nonBinding.plus}, 0 ${t.nonBinding.zero}, -1 ${t.nonBinding.minus} → ${verdict.recomputed.outcome} (${verdict.recomputed.reason})`,
      ...(exported.proposal.status === "open" ? ["the vote is still open: the outcome above is provisional"] : []),
      ...(loggedBallots !== null ? [`history: ${loggedBallots} ballots cast in the log`] : []),
      ...verdict.notes.map((n) => `note: ${n}`),
      verdict.ok
        ? "VERIFIED: every ballot signature and the signed tally check out"
        : `VERIFICATION FAILED:\n${verdict.problems.map((p) => `  - ${p}`).join("\n")}`,
    ]);
    if (!verdict.ok) cliIo().exitCode = 1;
  },
};

export const governanceExport: CliCommand = {
  name: "governance export",
  summary: "print a proposal's public export (the JSON served at /api/governance/proposals/ID/export.json)",
  usage: "governance export PROPOSAL_ID",
  async run(args) {
    cliIo().stdout(
      `${JSON.stringify(await attachLogProofs(await buildProposalExport(proposalIdArg(args))), null, 2)}\n`,
    );
  },
};

export const governanceList: CliCommand = {
  name: "governance list",
  summary: "list open and closed proposals",
  usage: "governance list [--json]",
  async run(args) {
    const { open, closed } = await listProposals();
    output(args, { open, closed }, () => [
      ...open.map((p) => `open    ${p.id} ${p.kind.padEnd(16)} closes ${p.closesAt?.toISOString()}  ${p.title}`),
      ...closed.map((p) => `closed  ${p.id} ${p.kind.padEnd(16)} ${String(p.outcome).padEnd(8)} ${p.title}`),
    ]);
  },
};

export const governanceClose: CliCommand = {
  name: "governance close",
  summary: "close a vote whose window has passed, sign its tally and apply its outcome",
  usage: "governance close PROPOSAL_ID [--json]",
  async run(args) {
    const result = await closeProposal({ proposalId: proposalIdArg(args), actor: cliActor });
    output(args, result, () => [
      `${result.proposalId}: ${result.outcome} (${result.reason}). ${result.effect.effectNote}`,
    ]);
  },
};

export const governanceSweep: CliCommand = {
  name: "governance sweep",
  summary: "send 24-hour reminders and close votes whose window has passed (the portal does this every minute)",
  usage: "governance sweep [--json]",
  async run(args) {
    const r = await runGovernanceSweep();
    output(args, r, () => [
      `reminders sent for ${r.reminded.length} proposal(s), ${r.closed.length} closed`,
      ...r.closed.map((id) => `  closed ${id}`),
    ]);
  },
};

export const governanceClockAdvance: CliCommand = {
  name: "governance clock advance",
  summary: "move the governance test clock forward (only with GUILDHALL_TEST_CLOCK=1)",
  usage: "governance clock advance --hours N",
  async run(args) {
    const hours = Number(flag(args, "hours", true));
    if (!Number.isFinite(hours) || hours <= 0) throw new CliError("--hours must be a positive number");
    const now = await advanceTestClock(Math.round(hours * 3_600_000));
    output(args, { now }, () => [`governance time is now ${now.toISOString()}`]);
  },
};

export const governanceManifest: CliCommand = {
  name: "governance manifest",
  summary: "print the current signed release manifest (compact JWS)",
  usage: "governance manifest",
  async run() {
    cliIo().stdout(`${(await getReleaseManifest()).jws}\n`);
  },
};

export const governanceCommands = [
  governanceVerify,
  governanceExport,
  governanceList,
  governanceClose,
  governanceSweep,
  governanceClockAdvance,
  governanceManifest,
];
