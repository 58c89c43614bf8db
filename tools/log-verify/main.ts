import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { consistencyProof, inclusionProof, verifyConsistency, verifyInclusion } from "../../lib/merkle/proofs";
import { leafHash } from "../../lib/merkle/tree-hash";
import { TILE_WIDTH, tilePath } from "../../lib/merkle/tile-paths";
import { tiledRangeHash } from "../../lib/merkle/tiled-tree";
import { bundleEntries, logSource, sourceTileReader } from "./log-source";
import { verifyCheckpoint } from "./verify-checkpoint";
import { verifyWholeLog } from "./verify-log";
import { runMonitor } from "./run-monitor";
import { verifyReceipt } from "./verify-receipt";
import { verifyForkOfLog } from "./verify-fork";

/**
 * log-verify: checks Guildhall's transparency log with nothing of Guildhall but
 * lib/merkle (node:crypto only): no database, no portal code, no trust in the
 * server beyond the log key you give it (from /log/key, or kept beforehand).
 *
 *   log-verify checkpoint  --log URL|DIR --key VKEY [--witness VKEY ...] [--quorum K]
 *   log-verify inclusion   --log URL|DIR --key VKEY --index N       (proof computed from the tiles)
 *   log-verify inclusion   --key VKEY --proof PROOF.json            (offline: /api/log/proof's answer)
 *   log-verify consistency --key VKEY --old CHECKPOINT --log URL|DIR (the newer tree's tiles)
 *   log-verify consistency --key VKEY --old CHECKPOINT --new CHECKPOINT --proof PROOF.json (offline)
 *   log-verify log         --log URL|DIR --key VKEY                 (every entry and tile)
 *   log-verify monitor     --log URL|DIR --state FILE [--key VKEY] [--subject TYPE:ID ...] [--action PREFIX ...]
 *                          [--all] [--from-latest] [--follow SECONDS]  (follow the log, report what matters)
 *   log-verify receipt     --key VKEY --file THING.json             (offline: a handed-out thing's receipt)
 *   log-verify fork        --log URL|DIR --key VKEY --origin-key OKEY --origin-checkpoint FILE
 *                          (a fork's log keeps its origin's entries and opens with the entry naming them)
 *
 * VKEY is the key text or a file holding it. Exit codes: 0 verified, 1 refused, 2 usage.
 */
const usage =
  "usage: log-verify checkpoint|inclusion|consistency|log|receipt|fork --key VKEY [...] (see tools/log-verify/README.md)";

const b64 = (s: string) => Buffer.from(s, "base64");
const readText = async (value: string) =>
  value.includes("+") && !value.includes("\n") ? value : readFile(value, "utf8");

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      log: { type: "string" },
      key: { type: "string" },
      witness: { type: "string", multiple: true, default: [] },
      quorum: { type: "string", default: "0" },
      index: { type: "string" },
      proof: { type: "string" },
      old: { type: "string" },
      new: { type: "string" },
      file: { type: "string" },
      "origin-key": { type: "string" },
      "origin-checkpoint": { type: "string" },
      json: { type: "boolean", default: false },
      state: { type: "string" },
      subject: { type: "string", multiple: true, default: [] },
      action: { type: "string", multiple: true, default: [] },
      all: { type: "boolean", default: false },
      "from-latest": { type: "boolean", default: false },
      follow: { type: "string" },
    },
  });
  const [command] = positionals;
  if (command === "monitor") {
    if (!values.log || !values.state) return fail("monitor needs --log and --state", 2);
    const follow = values.follow === undefined ? undefined : Number(values.follow);
    if (follow !== undefined && !(follow >= 1)) return fail("--follow takes a number of seconds (1 or more)", 2);
    return runMonitor({
      log: values.log,
      key: values.key && (await readText(values.key)).trim(),
      stateFile: values.state,
      witnesses: await Promise.all(values.witness.map(async (w) => (await readText(w)).trim())),
      quorum: Number(values.quorum),
      subjects: values.subject,
      actions: values.action,
      all: values.all,
      start: values["from-latest"] ? "latest" : "first",
      followSeconds: follow,
      json: values.json,
      write: (line) => process.stdout.write(`${line}\n`),
      warn: (line) => process.stderr.write(`log-verify: ${line}\n`),
    });
  }
  if (!values.key || !command) return fail(usage, 2);
  const key = (await readText(values.key)).trim();
  const witnesses = await Promise.all(values.witness.map(async (w) => (await readText(w)).trim()));
  const source = values.log ? logSource(values.log) : null;
  const latest = async () =>
    verifyCheckpoint(await (source ?? missing("--log")).text("checkpoint"), key, witnesses, Number(values.quorum));

  if (command === "checkpoint") {
    const c = await latest();
    return ok({ origin: c.origin, size: c.size, rootHash: c.rootHash.toString("base64"), cosigners: c.cosigners });
  }
  if (command === "inclusion" && values.proof) {
    const p = JSON.parse(await readFile(values.proof, "utf8"));
    const c = verifyCheckpoint(p.checkpoint, key, witnesses, Number(values.quorum));
    const leaf = leafHash(Buffer.from(p.entry));
    if (c.size !== p.treeSize) return fail("the proof's tree size is not its checkpoint's", 1);
    if (!verifyInclusion(p.index, c.size, leaf, p.proof.map(b64), c.rootHash))
      return fail(`entry ${p.index} is NOT included in the checkpoint of size ${c.size}`, 1);
    return ok({ index: p.index, treeSize: c.size, entry: JSON.parse(p.entry), cosigners: c.cosigners });
  }
  if (command === "inclusion" && source) {
    const c = await latest();
    const index = Number(values.index);
    if (!Number.isSafeInteger(index) || index < 0 || index >= c.size)
      return fail(`--index must be below the tree size ${c.size}`, 2);
    const bundle = Math.floor(index / TILE_WIDTH);
    const width = Math.min(TILE_WIDTH, c.size - bundle * TILE_WIDTH);
    const entry = bundleEntries(await source.bytes(tilePath({ level: "entries", index: bundle, width })))[
      index % TILE_WIDTH
    ];
    const proof = await inclusionProof(index, c.size, tiledRangeHash(c.size, sourceTileReader(source)));
    if (!verifyInclusion(index, c.size, leafHash(entry), proof, c.rootHash))
      return fail(`entry ${index} is NOT included in the checkpoint of size ${c.size}`, 1);
    return ok({ index, treeSize: c.size, entry: JSON.parse(entry.toString("utf8")), cosigners: c.cosigners });
  }
  if (command === "consistency" && values.old) {
    const older = verifyCheckpoint(await readFile(values.old, "utf8"), key);
    const newer = values.new
      ? verifyCheckpoint(await readFile(values.new, "utf8"), key, witnesses, Number(values.quorum))
      : await latest();
    const proof = values.proof
      ? (JSON.parse(await readFile(values.proof, "utf8")).proof as string[]).map(b64)
      : older.size === 0
        ? []
        : await consistencyProof(
            older.size,
            newer.size,
            tiledRangeHash(newer.size, sourceTileReader(source ?? missing("--log"))),
          );
    if (!verifyConsistency(older.size, newer.size, older.rootHash, newer.rootHash, proof))
      return fail(`the checkpoint of size ${older.size} is NOT consistent with the one of size ${newer.size}`, 1);
    return ok({ oldSize: older.size, newSize: newer.size, consistent: true });
  }
  if (command === "receipt" && values.file) {
    let document: unknown;
    try {
      document = JSON.parse(await readFile(values.file, "utf8"));
    } catch (e) {
      throw new UsageError(`${values.file}: ${e instanceof Error ? e.message : "not JSON"}`);
    }
    const { receipt, checkpoint, entry } = verifyReceipt(document, key, witnesses, Number(values.quorum));
    return ok({
      thing: receipt.thing,
      index: receipt.index,
      action: entry.action,
      at: entry.at,
      treeSize: checkpoint.size,
      origin: checkpoint.origin,
      cosigners: checkpoint.cosigners,
    });
  }
  if (command === "fork") {
    if (!values["origin-key"] || !values["origin-checkpoint"])
      return fail("fork needs --log, --key, --origin-key and --origin-checkpoint", 2);
    const originKey = (await readText(values["origin-key"])).trim();
    const origin = verifyCheckpoint(await readFile(values["origin-checkpoint"], "utf8"), originKey);
    const fork = await latest();
    return ok(await verifyForkOfLog(source ?? missing("--log"), origin, fork));
  }
  if (command === "log" && source) {
    const c = await latest();
    const started = performance.now();
    const result = await verifyWholeLog(source, c.size, c.rootHash);
    return ok({ ...result, rootHash: c.rootHash.toString("base64"), seconds: (performance.now() - started) / 1000 });
  }
  return fail(usage, 2);

  function missing(flag: string): never {
    throw new UsageError(`${command} needs ${flag}`);
  }
  function ok(result: Record<string, unknown>): number {
    process.stdout.write(
      values.json ? `${JSON.stringify(result)}\n` : `VERIFIED ${command}: ${JSON.stringify(result, null, 2)}\n`,
    );
    return 0;
  }
}

class UsageError extends Error {}

function fail(message: string, code: number): number {
  process.stderr.write(`log-verify: ${message}\n`);
  return code;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = fail(err instanceof Error ? err.message : String(err), err instanceof UsageError ? 2 : 1);
  },
);
