import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { inclusionProof } from "@/lib/merkle/proofs";
import { leafHash, rootOfHashes } from "@/lib/merkle/tree-hash";
import { formatCheckpointText } from "@/lib/merkle/checkpoint";
import {
  SIGNATURE_TYPE,
  ed25519RawPublicKey,
  formatNote,
  formatVerifierKey,
  signNoteText,
} from "@/lib/merkle/signed-note";
import { verifyEntryInBrowser } from "@/app/log/browser-log-verify";
import { resolveLogQuery } from "@/lib/transparency/resolve-log-query";

/**
 * The /log page's check runs in the browser with WebCrypto (Node has the same
 * API): it must accept every proof the server's lib/merkle makes, at sizes
 * around tile and power-of-two edges, and refuse a changed entry, a wrong
 * index, a forged root and another key's signature.
 */
const origin = "example.org/log";
const log = generateKeyPairSync("ed25519");
const vkey = formatVerifierKey(origin, SIGNATURE_TYPE.ed25519, ed25519RawPublicKey(log.publicKey));

function signedTree(size: number) {
  const entries = Array.from({ length: size }, (_, i) => JSON.stringify({ v: 1, i }));
  const leaves = entries.map((e) => leafHash(Buffer.from(e)));
  const text = formatCheckpointText({ origin, size, rootHash: rootOfHashes(leaves) });
  const note = formatNote(text, [signNoteText(text, origin, log.privateKey)]);
  const rangeHash = async (start: number, end: number) => rootOfHashes(leaves.slice(start, end));
  return { entries, note, rangeHash };
}

describe("the log page's check in the browser", () => {
  it("accepts the server's proofs and refuses every tampering", async () => {
    for (const size of [1, 2, 7, 8, 9, 255, 256, 257]) {
      const tree = signedTree(size);
      for (const index of new Set([0, Math.floor(size / 2), size - 1])) {
        const proof = (await inclusionProof(index, size, tree.rangeHash)).map((h) => h.toString("base64"));
        const input = { entry: tree.entries[index], index, proof, checkpoint: tree.note, verifierKey: vkey };
        expect(await verifyEntryInBrowser(input), `${index} of ${size}`).toMatchObject({
          inclusion: "verified",
          signature: "verified",
          treeSize: size,
        });
        expect((await verifyEntryInBrowser({ ...input, entry: `${input.entry} ` })).inclusion).toBe("refused");
        if (size > 1)
          expect((await verifyEntryInBrowser({ ...input, index: (index + 1) % size })).inclusion).toBe("refused");
      }
    }
    const tree = signedTree(9);
    const proof = (await inclusionProof(3, 9, tree.rangeHash)).map((h) => h.toString("base64"));
    const input = { entry: tree.entries[3], index: 3, proof, checkpoint: tree.note, verifierKey: vkey };
    const forgedRoot = tree.note.replace(/\n[A-Za-z0-9+/]{43}=\n/, `\n${Buffer.alloc(32, 1).toString("base64")}\n`);
    expect(await verifyEntryInBrowser({ ...input, checkpoint: forgedRoot })).toMatchObject({
      inclusion: "refused",
      signature: "refused",
    });
    const other = generateKeyPairSync("ed25519");
    const otherKey = formatVerifierKey(origin, SIGNATURE_TYPE.ed25519, ed25519RawPublicKey(other.publicKey));
    expect((await verifyEntryInBrowser({ ...input, verifierKey: otherKey })).signature).toBe("refused");
  });

  it("reads a look-up as an entry number, a subject or a handed-out thing", () => {
    expect(resolveLogQuery(" 42 ")).toEqual({ kind: "entry", index: 42 });
    expect(resolveLogQuery("lic_abc-1")).toEqual({ kind: "subject", subjectType: "license", subjectId: "lic_abc-1" });
    expect(resolveLogQuery("po_x")).toMatchObject({ subjectType: "payout_batch" });
    expect(resolveLogQuery("bal_x")).toEqual({ kind: "thing", thing: "ballot", id: "bal_x" });
    expect(resolveLogQuery("usr_x")).toMatchObject({ kind: "unknown" });
    expect(resolveLogQuery("042")).toMatchObject({ kind: "unknown" });
  });
});
