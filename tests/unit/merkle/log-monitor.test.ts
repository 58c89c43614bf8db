import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatCheckpointText } from "@/lib/merkle/checkpoint";
import {
  SIGNATURE_TYPE,
  ed25519RawPublicKey,
  formatNote,
  formatVerifierKey,
  signNoteText,
} from "@/lib/merkle/signed-note";
import { appendToEdge, edgeRoot, type TileEdge } from "@/lib/merkle/tile-edge";
import { TILE_WIDTH, tilePath } from "@/lib/merkle/tile-paths";
import { leafHash } from "@/lib/merkle/tree-hash";
import { logSource } from "@/tools/log-verify/log-source";
import { entryFilter, MonitorAlarm, monitorOnce, type MonitorState } from "@/tools/log-verify/monitor";

/**
 * The monitor (tools/log-verify/monitor.ts, behind `npm run cli -- log monitor`
 * and `guildhall-theater monitor`) against a log written as tlog-tiles files
 * and served over HTTP: it reports what matters, carries on from its state,
 * and raises an alarm at a rewritten history or a second root for one size.
 */
const origin = "guildhall.monitor.test/log";
const key = generateKeyPairSync("ed25519").privateKey;
const vkey = formatVerifierKey(origin, SIGNATURE_TYPE.ed25519, ed25519RawPublicKey(key));
const root = fs.mkdtempSync(path.join(os.tmpdir(), "gh-monitor-"));
let server: Server;
let base = "";

const entry = (i: number, action = "license.activated", subject = `license:lic_${i % 5}`, data: object = {}) => {
  const [type, id] = subject.split(":");
  return JSON.stringify({
    v: 1,
    event: `evt_${i}`,
    at: `2026-12-06T08:00:${String(i % 60).padStart(2, "0")}.000Z`,
    action,
    actor: { type: "system", id: null },
    subject: { type, id },
    state: { digest: "00" },
    data,
  });
};

/** Writes a log of these entries into `dir` as a static host keeps it: the checkpoint, every tile, every bundle. */
function writeLog(dir: string, entries: string[]) {
  fs.rmSync(dir, { recursive: true, force: true });
  const write = (rel: string, bytes: Uint8Array | string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), bytes);
  };
  let edge: TileEdge = { size: 0, levels: [] };
  for (let at = 0; at < entries.length; at += TILE_WIDTH) {
    const chunk = entries.slice(at, at + TILE_WIDTH);
    const step = appendToEdge(
      edge,
      chunk.map((e) => leafHash(Buffer.from(e))),
    );
    edge = step.edge;
    for (const t of step.changed)
      write(tilePath({ level: t.level, index: t.index, width: t.hashes.length }), Buffer.concat(t.hashes));
    const bundle = Buffer.concat(
      chunk.flatMap((e) => {
        const len = Buffer.alloc(2);
        len.writeUInt16BE(Buffer.byteLength(e));
        return [len, Buffer.from(e)];
      }),
    );
    write(tilePath({ level: "entries", index: at / TILE_WIDTH, width: chunk.length }), bundle);
  }
  const text = formatCheckpointText({ origin, size: entries.length, rootHash: edgeRoot(edge) });
  write("checkpoint", formatNote(text, [signNoteText(text, origin, key)]));
}

const history = Array.from({ length: 300 }, (_, i) => entry(i));
history[7] = entry(7, "license.suspended", "license:lic_2", { reason: "unpaid" });
history[120] = entry(120, "oidc_client.registered", "oidc_client:cli_x");
history[299] = entry(299, "federation_host.admitted", "organization:org_h");

beforeAll(async () => {
  server = createServer((req, res) => {
    const file = path.join(
      root,
      "log",
      decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname).replace(/^\/log\//, ""),
    );
    if (!file.startsWith(path.join(root, "log")) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/log`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(root, { recursive: true, force: true });
});

describe("log monitor", () => {
  let state: MonitorState;

  it("reads the whole log over HTTP on a first run and reports the suspensions, clients and admissions", async () => {
    writeLog(path.join(root, "log"), history.slice(0, 260));
    const polled = await monitorOnce({ source: logSource(base), logKey: vkey, state: null, filter: entryFilter({}) });
    expect(polled.newEntries).toBe(260);
    expect(polled.reports.map((r) => [r.index, r.action])).toEqual([
      [7, "license.suspended"],
      [120, "oidc_client.registered"],
    ]);
    state = polled.state;
  });

  it("carries on from its state: only the new entries, checked against the root", async () => {
    writeLog(path.join(root, "log"), history);
    const polled = await monitorOnce({ source: logSource(base), logKey: vkey, state, filter: entryFilter({}) });
    expect(polled.newEntries).toBe(40);
    expect(polled.reports.map((r) => r.action)).toEqual(["federation_host.admitted"]);
    // By subject: everything about one license, from the start.
    const bySubject = await monitorOnce({
      source: logSource(base),
      logKey: vkey,
      state: null,
      filter: entryFilter({ subjects: ["license:lic_2"] }),
    });
    expect(bySubject.reports.map((r) => r.index)).toEqual(
      history.flatMap((e, i) => (e.includes('"id":"lic_2"') ? [i] : [])),
    );
    state = polled.state;
  });

  it("a stale copy that is a prefix passes; a rewritten history and a second root for a size raise alarms", async () => {
    // A cache still serving an older checkpoint, beside the (immutable) tiles of the newer tree.
    writeLog(path.join(root, "older"), history.slice(0, 280));
    fs.copyFileSync(path.join(root, "older", "checkpoint"), path.join(root, "log", "checkpoint"));
    expect((await monitorOnce({ source: logSource(base), logKey: vkey, state, filter: entryFilter({}) })).stale).toBe(
      true,
    );

    const rewritten = [...history, entry(300)];
    rewritten[7] = entry(7, "license.activated", "license:lic_2");
    writeLog(path.join(root, "log"), rewritten);
    await expect(
      monitorOnce({ source: logSource(base), logKey: vkey, state, filter: entryFilter({}) }),
    ).rejects.toThrow(MonitorAlarm);

    const sameSize = [...history];
    sameSize[299] = entry(299);
    writeLog(path.join(root, "log"), sameSize);
    await expect(
      monitorOnce({ source: logSource(base), logKey: vkey, state, filter: entryFilter({}) }),
    ).rejects.toThrow(/two different roots/);
  });

  it("starts at the newest checkpoint when asked, from the tiles at the tree's edge", async () => {
    writeLog(path.join(root, "log"), history);
    const polled = await monitorOnce({
      source: logSource(base),
      logKey: vkey,
      state: null,
      filter: entryFilter({ all: true }),
      start: "latest",
    });
    expect([polled.newEntries, polled.state.size]).toEqual([0, 300]);
  });
});
