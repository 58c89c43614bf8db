import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findLogReceipt, type LogReceipt } from "@/lib/transparency/find-log-receipt";
import { integrateLog } from "@/lib/transparency/integrate-log";
import { getLogSigner } from "@/lib/transparency/log-signer";
import { parseCheckpointText } from "@/lib/merkle/checkpoint";
import { parseNote } from "@/lib/merkle/signed-note";
import { verifyInclusion } from "@/lib/merkle/proofs";
import { leafHash } from "@/lib/merkle/tree-hash";
import { GET as getReceipt } from "@/app/api/log/receipt/route";
import { seedActiveLicense } from "../licensing/helpers";
import { openRelease, seedVoter, useTestClock, vote } from "../governance/helpers";

useTestClock();
const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-receipts-"));
const get = (query: string) =>
  getReceipt(new Request(`http://localhost:3999/api/log/receipt?${query}`), {
    params: Promise.resolve({}),
  });
const b64 = (s: string) => Buffer.from(s, "base64");

let licenseId = "";
let ballotId = "";
let proposalId = "";
beforeAll(async () => {
  licenseId = (await seedActiveLicense()).license.id;
  const [a, b] = [await seedVoter(), await seedVoter()];
  const p = await openRelease(a);
  proposalId = p.id;
  await vote(a, p.id, 1);
  ballotId = (await vote(b, p.id, -1, "not yet")).ballot.id;
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function expectProven(receipt: LogReceipt) {
  if (receipt.status !== "integrated") throw new Error(`not integrated: ${receipt.status}`);
  const checkpoint = parseCheckpointText(parseNote(receipt.checkpoint).text);
  expect(receipt.treeSize).toBe(checkpoint.size);
  const leaf = leafHash(Buffer.from(receipt.entry));
  expect(verifyInclusion(receipt.index, checkpoint.size, leaf, receipt.proof.map(b64), checkpoint.rootHash)).toBe(true);
  return JSON.parse(receipt.entry);
}

describe("the log entry of a handed-out thing", () => {
  it("is known at once, awaits integration, then comes with its inclusion proof", async () => {
    const before = await findLogReceipt({ kind: "ballot", id: ballotId });
    expect(before).toMatchObject({ status: "awaiting_integration", action: "ballot.cast" });
    await integrateLog();
    const after = await findLogReceipt({ kind: "ballot", id: ballotId });
    expect(after.index).toBe(before.index);
    const entry = expectProven(after);
    expect(entry).toMatchObject({ action: "ballot.cast", subject: { type: "proposal", id: proposalId } });
    expect(entry.data).toMatchObject({ ballotId, choice: -1 });
    if (after.status === "integrated") expect(after.witnesses).toEqual([]);

    const license = await findLogReceipt({ kind: "license", id: licenseId });
    expect(expectProven(license)).toMatchObject({ action: "license.activated", subject: { id: licenseId } });
  });

  it("is served publicly; the saved receipt, alone or in a bundle, verifies offline, and a doctored one does not", async () => {
    const res = await get(`kind=ballot&id=${ballotId}`);
    expect(res.status).toBe(200);
    const receipt = await res.json();
    expect(receipt).toMatchObject({ status: "integrated", thing: { kind: "ballot", id: ballotId } });
    const vkey = (await getLogSigner()).verifierKey;
    const check = async (name: string, document: unknown) => {
      fs.writeFileSync(path.join(dir, name), JSON.stringify(document));
      const args = ["tools/log-verify/bin.mjs", "receipt", "--key", vkey, "--file", path.join(dir, name), "--json"];
      return run(process.execPath, args).then(
        (r) => ({ code: 0, out: r.stdout, err: "" }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
      );
    };
    const [alone, bundled, altered, borrowed] = await Promise.all([
      check("receipt.json", receipt),
      check("bundle.json", { licenseDocument: "…", log: receipt }),
      check("altered.json", { ...receipt, entry: receipt.entry.replace('"choice":-1', '"choice":1') }),
      check("borrowed.json", { ...receipt, thing: { ...receipt.thing, id: "bal_someoneElses" } }),
    ]);
    expect(alone.code).toBe(0);
    expect(JSON.parse(alone.out)).toMatchObject({
      index: receipt.index,
      action: "ballot.cast",
      thing: { id: ballotId },
    });
    expect(bundled.code).toBe(0);
    expect(altered).toMatchObject({ code: 1, err: expect.stringContaining("is NOT included") });
    expect(borrowed).toMatchObject({ code: 1, err: expect.stringContaining("is not about bal_someoneElses") });
  }, 60_000);

  it("refuses what cannot be one and says so for what the log never recorded", async () => {
    const answers = await Promise.all([
      get("kind=ballot&id=bal_neverCast"),
      get("kind=diary&id=x"),
      get(`kind=ballot&id=${licenseId}`),
      get("kind=license"),
    ]);
    const bodies = await Promise.all(answers.map((r) => r.json()));
    expect(answers.map((r) => r.status)).toEqual([404, 400, 400, 400]);
    expect(bodies[0].error).toMatchObject({ code: "NOT_FOUND", reason: "NOT_LOGGED" });
    expect(bodies[1].error.code).toBe("VALIDATION_FAILED");
    expect(bodies[2].error).toMatchObject({ code: "BAD_REQUEST", reason: "BAD_THING_ID" });
  });
});
