import fs from "node:fs";
import path from "node:path";
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  SIGNATURE_TYPE,
  ed25519RawPublicKey,
  formatNote,
  formatVerifierKey,
  parseNote,
  parseVerifierKey,
  signNoteText,
  verifyNoteSignature,
} from "@/lib/merkle/signed-note";
import { formatCheckpointText, parseCheckpointText } from "@/lib/merkle/checkpoint";
import { cosignCheckpoint, verifyCosignature } from "@/lib/merkle/cosignature";
import { parseTilePath, tilePath } from "@/lib/merkle/tile-paths";

describe("C2SP signed notes, checkpoints and cosignatures", () => {
  it("verifies the signed-note specification's own example, and refuses it altered", () => {
    const key = parseVerifierKey("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
    const note =
      "This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";
    expect(verifyNoteSignature(note, key)).toBe(true);
    expect(verifyNoteSignature(note.replace("an example", "a forged"), key)).toBe(false);
    expect(() => parseVerifierKey("example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")).toThrow();
  });

  it("signs a checkpoint and a cosignature that verify only with their keys", () => {
    const log = generateKeyPairSync("ed25519");
    const witness = generateKeyPairSync("ed25519");
    const text = formatCheckpointText({ origin: "example.org/log", size: 42, rootHash: Buffer.alloc(32, 9) });
    expect(parseCheckpointText(text)).toMatchObject({ origin: "example.org/log", size: 42 });
    const cosig = cosignCheckpoint(text, "witness.example/w1", witness.privateKey, 1_700_000_000);
    const note = formatNote(text, [signNoteText(text, "example.org/log", log.privateKey), cosig]);
    const logKey = parseVerifierKey(
      formatVerifierKey("example.org/log", SIGNATURE_TYPE.ed25519, ed25519RawPublicKey(log.publicKey)),
    );
    const witnessKey = parseVerifierKey(
      formatVerifierKey("witness.example/w1", SIGNATURE_TYPE.cosignatureV1, ed25519RawPublicKey(witness.publicKey)),
    );
    expect(verifyNoteSignature(note, logKey)).toBe(true);
    expect(verifyCosignature(note, witnessKey)).toBe(1_700_000_000);
    const forged = note.replace("\n42\n", "\n43\n");
    expect(verifyNoteSignature(forged, logKey)).toBe(false);
    expect(verifyCosignature(forged, witnessKey)).toBe(null);
    expect(parseNote(note).signatures).toHaveLength(2);
    expect(() => parseCheckpointText("example.org/log\n042\nAAAA\n")).toThrow();
  });

  it("writes and reads tlog-tiles paths", () => {
    expect(tilePath({ level: 0, index: 1234067, width: 256 })).toBe("tile/0/x001/x234/067");
    expect(tilePath({ level: "entries", index: 5, width: 17 })).toBe("tile/entries/005.p/17");
    expect(parseTilePath(["0", "x001", "x234", "067"])).toEqual({ level: 0, index: 1234067, width: 256 });
    expect(parseTilePath(["entries", "005.p", "17"])).toEqual({ level: "entries", index: 5, width: 17 });
    for (const bad of [
      ["0", "5"],
      ["64", "000"],
      ["0", "000.p", "256"],
      ["0", "x000", "001"],
      ["0", "001", "002"],
    ])
      expect(parseTilePath(bad)).toBe(null);
  });
});

describe("lib/merkle stays standalone", () => {
  // tools/log-verify runs it with no database and no portal code: node:crypto and its own files only.
  const dir = path.resolve(import.meta.dirname, "../../../lib/merkle");
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ts")))
    it(`${file} imports only node:crypto and lib/merkle`, () => {
      const imports = [...fs.readFileSync(path.join(dir, file), "utf8").matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]);
      for (const i of imports) expect(i === "node:crypto" || i.startsWith("./"), `${file} imports ${i}`).toBe(true);
    });
});

describe("tools/log-verify stays standalone", () => {
  // No database, no portal code: Node's own modules, lib/merkle and its own files.
  const dir = path.resolve(import.meta.dirname, "../../../tools/log-verify");
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
