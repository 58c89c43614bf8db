import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { verifyInclusion } from "../../lib/merkle/proofs";
import { leafHash } from "../../lib/merkle/tree-hash";
import { verifyCheckpoint } from "../log-verify/verify-checkpoint";
import { checkReceiptAgainstEntry, verifyReceipt, type Jwk } from "./verify-receipt";

/**
 * receipt-verify: checks Guildhall purchase receipts offline, with nothing of
 * Guildhall but lib/merkle (node:crypto only) and the keys you give it.
 *
 *   receipt-verify --receipt FILE --keys JWKS                 (a .jws, or the all-receipts .json)
 *   receipt-verify --receipt FILE --keys JWKS --log-key VKEY --proof PROOF.json
 *
 * JWKS is a file or an https URL (/.well-known/guildhall/receipt-keys); PROOF is
 * /api/log/proof?index=N's answer for the receipt's log index. Exit codes: 0
 * verified, 1 refused, 2 usage.
 */
const usage = "usage: receipt-verify --receipt FILE --keys JWKS [--log-key VKEY --proof PROOF.json] [--json]";

async function readSource(value: string): Promise<string> {
  if (/^https?:\/\//.test(value)) {
    const res = await fetch(value);
    if (!res.ok) throw new Error(`${value}: HTTP ${res.status}`);
    return res.text();
  }
  return readFile(value, "utf8");
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      receipt: { type: "string" },
      keys: { type: "string" },
      "log-key": { type: "string" },
      proof: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  if (!values.receipt || !values.keys) return fail(usage, 2);
  if (Boolean(values["log-key"]) !== Boolean(values.proof)) return fail("--log-key and --proof go together", 2);
  const keys = JSON.parse(await readSource(values.keys)) as { keys: Jwk[] };
  const text = (await readFile(values.receipt, "utf8")).trim();
  const receipts: string[] = text.startsWith("{") ? (JSON.parse(text) as { receipts: string[] }).receipts : [text];
  const verified = receipts.map((jws, i) => {
    try {
      return verifyReceipt(jws, keys);
    } catch (e) {
      throw new Error(`receipt ${i + 1} of ${receipts.length}: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  let logChecked: { index: number; treeSize: number } | null = null;
  if (values.proof && values["log-key"]) {
    if (verified.length !== 1) return fail("--proof checks one receipt; give a single .jws", 2);
    const vkey = values["log-key"].includes("+")
      ? values["log-key"]
      : (await readFile(values["log-key"], "utf8")).trim();
    const proof = JSON.parse(await readFile(values.proof, "utf8"));
    const checkpoint = verifyCheckpoint(proof.checkpoint, vkey);
    if (checkpoint.size !== proof.treeSize) return fail("the proof's tree size is not its checkpoint's", 1);
    const hashes = (proof.proof as string[]).map((h) => Buffer.from(h, "base64"));
    if (!verifyInclusion(proof.index, checkpoint.size, leafHash(Buffer.from(proof.entry)), hashes, checkpoint.rootHash))
      return fail(`entry ${proof.index} is NOT included in the checkpoint of size ${checkpoint.size}`, 1);
    checkReceiptAgainstEntry(verified[0], proof.index, proof.entry);
    logChecked = { index: proof.index, treeSize: checkpoint.size };
  }
  const result = {
    receipts: verified.map((c) => ({
      id: c.jti,
      order: c.order,
      kind: c.kind,
      theater: c.theater.slug,
      price: c.price,
    })),
    log: logChecked,
  };
  process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `VERIFIED: ${JSON.stringify(result, null, 2)}\n`);
  return 0;
}

function fail(message: string, code: number): number {
  process.stderr.write(`receipt-verify: ${message}\n`);
  return code;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = fail(err instanceof Error ? err.message : String(err), 1);
  },
);
