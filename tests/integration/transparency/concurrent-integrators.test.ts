import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { parseCheckpointText } from "@/lib/merkle/checkpoint";
import { parseNote, parseVerifierKey, verifyNoteSignature } from "@/lib/merkle/signed-note";
import { appendToEdge, edgeRoot, type TileEdge } from "@/lib/merkle/tile-edge";
import { leafHash } from "@/lib/merkle/tree-hash";
import { findLogVerifierKey } from "@/lib/transparency/log-signer";
import { verifyLogHistory } from "@/lib/transparency/verify-log-history";
import { bundledScript } from "../../support/bundled-cli";

const run = promisify(execFile);

/**
 * Two integrator processes (as two portal instances' background tasks) on one
 * PostgreSQL database, each appending events and integrating at once: one
 * integrator at a time (the advisory lock), one tree (every checkpoint's root
 * is the root of the entries below its size), and no size signed twice (every
 * checkpoint either process committed is the one stored for its size, and no
 * size was committed by both). PGlite is one process: Postgres only.
 */
describe.skipIf(process.env.TEST_DB !== "postgres")("two integrators on one database", () => {
  it("append and integrate concurrently into one tree, signing each size once", async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gh-integrators-")), "checkpoints.jsonl");
    // Bundled as the CLI is: tsx compiling the sources cost each process several seconds of CPU more.
    const appender = await bundledScript("tests/support/log-appender.ts");
    const child = (name: string, other: string) =>
      run(process.execPath, [appender, out, "6", name, other], {
        env: process.env,
        timeout: 150_000,
      });
    await Promise.all([child("one", "two"), child("two", "one")]);

    const committed = fs
      .readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { by: string; size: number; note: string });
    expect(new Set(committed.map((c) => c.by))).toEqual(new Set(["one", "two"]));
    // No size was signed (and committed) twice, by the same process or the other.
    const sizes = committed.map((c) => c.size);
    expect(new Set(sizes).size).toBe(sizes.length);

    const stored = await db().logCheckpoint.findMany({ orderBy: { size: "asc" } });
    const bySize = new Map(stored.map((c) => [Number(c.size), c.note]));
    for (const c of committed) expect(bySize.get(c.size)).toBe(c.note);

    // One tree: every stored checkpoint's signed root is the root of the entries below its size.
    const key = parseVerifierKey((await findLogVerifierKey()) as string);
    const entries = await db().logEntry.findMany({ orderBy: { index: "asc" } });
    expect(entries.map((e) => Number(e.index))).toEqual(entries.map((_, i) => i));
    let edge: TileEdge = { size: 0, levels: [] };
    let at = 0;
    for (const c of stored) {
      const size = Number(c.size);
      edge = appendToEdge(
        edge,
        entries.slice(at, size).map((e) => leafHash(Buffer.from(e.body))),
      ).edge;
      at = size;
      expect(verifyNoteSignature(c.note, key)).toBe(true);
      expect(parseCheckpointText(parseNote(c.note).text).rootHash.equals(edgeRoot(edge)), `root of ${size}`).toBe(true);
    }
    expect(at).toBe(await db().auditEvent.count());
    expect(await verifyLogHistory()).toMatchObject({ ok: true });
  }, 180_000);
});
