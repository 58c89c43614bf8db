import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { verifyInclusion } from "../../lib/merkle/proofs";
import { leafHash } from "../../lib/merkle/tree-hash";
import { verifyCheckpoint } from "../log-verify/verify-checkpoint";
import { checkReceiptAgainstEntry, verifyReceipt, type Jwk, type ReceiptClaims } from "./verify-receipt";

/**
 * receipt-verify: checks Guildhall purchase receipts offline, with nothing of
 * Guildhall but lib/merkle (node:crypto only) and the keys you give it.
 *
 *   receipt-verify --receipt FILE --keys JWKS                 (a .jws, or the all-receipts .json)
 *   receipt-verify --receipt FILE --keys JWKS --log-key VKEY --proof PROOF.json
 *   receipt-verify --receipt guildhall-receipts.json --keys JWKS --log-key VKEY   (the proofs the file carries)
 *
 * JWKS is a file or an https URL (/.well-known/guildhall/receipt-keys); PROOF is
 * /api/log/proof?index=N's answer for the receipt's log index. Exit codes: 0
 * verified, 1 refused, 2 usage.
 */
const usage = "usage: receipt-verify --receipt FILE --keys JWKS [--log-key VKEY [--proof PROOF.json]] [--json]";

async function readSource(value: string): Promise<string> {
  if (/^https?:\/\//.test(value)) {
    const res = await fetch(value);
    if (!res.ok) throw new Error(`${value}: HTTP ${res.status}`);
    return res.text();
  }
  return readFile(value, "utf8");
}

type InclusionProof = { index: number; treeSize: number; entry: string; proof: string[]; checkpoint: string };

/** The proof's checkpoint is signed by the log key, the entry is in its tree, and the entry is the receipt's. */
function checkAgainstLog(claims: ReceiptClaims, proof: InclusionProof, logKey: string) {
  const checkpoint = verifyCheckpoint(proof.checkpoint, logKey);
  if (checkpoint.size !== proof.treeSize) throw new Error("the proof's tree size is not its checkpoint's");
  const hashes = proof.proof.map((h) => Buffer.from(h, "base64"));
  if (!verifyInclusion(proof.index, checkpoint.size, leafHash(Buffer.from(proof.entry)), hashes, checkpoint.rootHash))
    throw new Error(`entry ${proof.index} is NOT included in the checkpoint of size ${checkpoint.size}`);
  checkReceiptAgainstEntry(claims, proof.index, proof.entry);
  return { order: claims.order, index: proof.index, treeSize: checkpoint.size };
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
  if (values.proof && !values["log-key"]) return fail("--proof needs --log-key", 2);
  const keys = JSON.parse(await readSource(values.keys)) as { keys: Jwk[] };
  const text = (await readFile(values.receipt, "utf8")).trim();
  const bundle = text.startsWith("{")
    ? (JSON.parse(text) as { receipts: string[]; logProofs?: Record<string, InclusionProof> })
    : { receipts: [text], logProofs: {} as Record<string, InclusionProof> };
  if (values.proof && bundle.receipts.length !== 1) return fail("--proof checks one receipt; give a single .jws", 2);
  const given = values.proof ? (JSON.parse(await readFile(values.proof, "utf8")) as InclusionProof) : null;
  const logKey = values["log-key"]
    ? values["log-key"].includes("+")
      ? values["log-key"]
      : (await readFile(values["log-key"], "utf8")).trim()
    : null;
  const inLog: ReturnType<typeof checkAgainstLog>[] = [];
  const notYetInLog: string[] = [];
  const verified = bundle.receipts.map((jws, i) => {
    try {
      const claims = verifyReceipt(jws, keys);
      if (logKey) {
        const proof = given ?? bundle.logProofs?.[claims.order];
        if (proof) inLog.push(checkAgainstLog(claims, proof, logKey));
        else notYetInLog.push(claims.order);
      }
      return claims;
    } catch (e) {
      throw new Error(`receipt ${i + 1} of ${bundle.receipts.length}: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  const result = {
    receipts: verified.map((c) => ({
      id: c.jti,
      order: c.order,
      kind: c.kind,
      theater: c.theater.slug,
      price: c.price,
    })),
    ...(logKey ? { log: { checked: inLog, noProofGiven: notYetInLog } } : {}),
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
