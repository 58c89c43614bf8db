import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { addCheckpoint, type Witness } from "@/tools/witness/add-checkpoint";
import type { WitnessState } from "@/tools/witness/witness-state";
import { formatCheckpointText } from "@/lib/merkle/checkpoint";
import { verifyCosignature } from "@/lib/merkle/cosignature";
import { consistencyProof } from "@/lib/merkle/proofs";
import {
  SIGNATURE_TYPE,
  ed25519RawPublicKey,
  formatNote,
  formatVerifierKey,
  parseVerifierKey,
  signNoteText,
} from "@/lib/merkle/signed-note";
import { emptyTreeRoot, leafHash, rootOfHashes } from "@/lib/merkle/tree-hash";
import { formatAddCheckpoint, parseAddCheckpoint } from "@/lib/merkle/witness-protocol";

const origin = "guildhall.test/log";
const logKey = generateKeyPairSync("ed25519").privateKey;
const otherKey = generateKeyPairSync("ed25519").privateKey;
const witnessKey = generateKeyPairSync("ed25519").privateKey;
const witness: Witness = {
  name: "witness.test/w1",
  privateKey: witnessKey,
  logs: new Map([
    [origin, parseVerifierKey(formatVerifierKey(origin, SIGNATURE_TYPE.ed25519, ed25519RawPublicKey(logKey)))],
  ]),
};
const witnessVkey = parseVerifierKey(
  formatVerifierKey(witness.name, SIGNATURE_TYPE.cosignatureV1, ed25519RawPublicKey(witnessKey)),
);

const leaves = (entries: string[]) => entries.map((e) => leafHash(Buffer.from(e)));
const range = (hashes: Buffer[]) => async (start: number, end: number) => rootOfHashes(hashes.slice(start, end));
const entries = Array.from({ length: 40 }, (_, i) => `entry ${i}`);
const note = (size: number, root: Buffer, key = logKey, name = origin) => {
  const text = formatCheckpointText({ origin: name, size, rootHash: root });
  return formatNote(text, [signNoteText(text, name, key)]);
};
const checkpointOf = (list: string[]) => note(list.length, rootOfHashes(leaves(list)));
const empty: WitnessState = { version: 1, logs: {} };
const now = new Date("2026-12-06T08:00:00Z");
const ask = (state: WitnessState, oldSize: number, proof: Buffer[], n: string) =>
  addCheckpoint(witness, state, formatAddCheckpoint({ oldSize, proof, note: n }), now);

describe("tools/witness: add-checkpoint as C2SP tlog-witness says", () => {
  const first = ask(empty, 0, [], checkpointOf(entries.slice(0, 10)));
  const afterFirst = first.next as WitnessState;

  it("cosigns a first checkpoint from size 0, and the cosignature verifies with its vkey", () => {
    expect(first.status).toBe(200);
    expect(first.body).toMatch(/^— witness\.test\/w1 \S+\n$/);
    expect(verifyCosignature(`${checkpointOf(entries.slice(0, 10))}${first.body}`, witnessVkey)).toBe(
      Math.floor(now.getTime() / 1000),
    );
    expect(afterFirst.logs[origin].size).toBe(10);
  });

  it("cosigns a larger checkpoint with a valid consistency proof", async () => {
    const proof = await consistencyProof(10, 25, range(leaves(entries.slice(0, 25))));
    const answer = ask(afterFirst, 10, proof, checkpointOf(entries.slice(0, 25)));
    expect(answer.status).toBe(200);
    expect(answer.next?.logs[origin].size).toBe(25);
  });

  it("refuses a fork (a rewritten entry, signed by the log's key) with 422 and keeps it as evidence", async () => {
    const forked = [...entries.slice(0, 25)];
    forked[3] = "entry 3, rewritten";
    const proof = await consistencyProof(10, 25, range(leaves(forked)));
    const answer = ask(afterFirst, 10, proof, checkpointOf(forked));
    expect(answer.status).toBe(422);
    expect(answer.next).toBeUndefined();
    expect(answer.evidence).toContain("inconsistent");
  });

  it("refuses another root for the size it holds (422), and a rolled-back size (409 then 400)", () => {
    const other = ask(afterFirst, 10, [], checkpointOf(entries.slice(1, 11)));
    expect(other.status).toBe(422);
    const rolledBack = ask(afterFirst, 5, [], checkpointOf(entries.slice(0, 5)));
    expect(rolledBack.status).toBe(409);
    expect(rolledBack.contentType).toBe("text/x.tlog.size");
    expect(rolledBack.body).toBe("10\n");
    expect(ask(afterFirst, 10, [], checkpointOf(entries.slice(0, 5))).status).toBe(400);
  });

  it("answers 409 with the size it holds when the old size is not it", () => {
    const answer = ask(afterFirst, 0, [], checkpointOf(entries.slice(0, 20)));
    expect([answer.status, answer.body]).toEqual([409, "10\n"]);
  });

  it("404 for an unknown origin, 403 without a valid signature of the log's key", () => {
    expect(
      ask(empty, 0, [], note(3, rootOfHashes(leaves(entries.slice(0, 3))), logKey, "elsewhere.test/log")).status,
    ).toBe(404);
    expect(ask(empty, 0, [], note(3, rootOfHashes(leaves(entries.slice(0, 3))), otherKey)).status).toBe(403);
    // A line that names the log's key but whose signature is wrong makes the note malformed.
    const good = checkpointOf(entries.slice(0, 3));
    const tampered = good.replace(
      / (\S{10})(\S+)\n$/,
      (_m, a: string, b: string) => ` ${a}${b.startsWith("A") ? "B" : "A"}${b.slice(1)}\n`,
    );
    expect(ask(empty, 0, [], tampered).status).toBe(403);
  });

  it("422 for a non-empty proof from size 0 and for a size-0 checkpoint without the empty root", () => {
    expect(ask(empty, 0, [leafHash(Buffer.from("x"))], checkpointOf(entries.slice(0, 3))).status).toBe(422);
    expect(ask(empty, 0, [], note(0, leafHash(Buffer.from("x")))).status).toBe(422);
    expect(ask(empty, 0, [], note(0, emptyTreeRoot())).status).toBe(200);
  });

  it("400 for a malformed body", () => {
    for (const body of ["", "old 01\n\nx", "old 1\nnot-base64!\n\n", `old 0\n${checkpointOf(entries.slice(0, 3))}`])
      expect(addCheckpoint(witness, empty, body, now).status, JSON.stringify(body)).toBe(400);
    expect(() => parseAddCheckpoint(`old 0\n${"AAAA\n".repeat(64)}\n`)).toThrow();
  });
});

describe("tools/witness stays standalone", () => {
  const dir = path.resolve(import.meta.dirname, "../../../tools/witness");
  for (const file of fs.readdirSync(dir).filter((f) => /\.(ts|mjs)$/.test(f)))
    it(`${file} imports only node:, lib/merkle and its own files`, () => {
      const source = fs.readFileSync(path.join(dir, file), "utf8");
      const imports = [...source.matchAll(/(?:from\s+|import\()"([^"]+)"/g)].map((m) => m[1]);
      for (const i of imports)
        expect(
          i.startsWith("node:") || i.startsWith("../../lib/merkle/") || i.startsWith("./") || i === "tsx/esm/api",
          `${file} imports ${i}`,
        ).toBe(true);
    });
});
