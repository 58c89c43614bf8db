import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { integrateLog } from "@/lib/transparency/integrate-log";
import { getLogSigner } from "@/lib/transparency/log-signer";
import { edgeTileAddresses } from "@/lib/merkle/tile-edge";
import { tilePath, TILE_WIDTH } from "@/lib/merkle/tile-paths";
import { GET as getCheckpoint } from "@/app/log/checkpoint/route";
import { GET as getTile } from "@/app/log/tile/[...path]/route";
import { GET as getProof } from "@/app/api/log/proof/route";
import { GET as getEntries } from "@/app/api/log/entries/route";

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-log-mirror-"));
const verifier = (...args: string[]) =>
  run(process.execPath, ["tools/log-verify/bin.mjs", ...args], { cwd: process.cwd() }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
const get = <P>(
  handler: (req: Request, ctx: { params: Promise<P> }) => Promise<Response>,
  url: string,
  params: P = {} as P,
) => handler(new Request(`http://localhost:3999${url}`), { params: Promise.resolve(params) });

/** Mirrors the log as a static host would keep it: every path a verifier fetches, from the portal's own answers. */
async function mirror(size: number) {
  const save = async (rel: string, body: Response) => {
    expect(body.status, rel).toBe(200);
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), Buffer.from(await body.arrayBuffer()));
  };
  await save("checkpoint", await get(getCheckpoint, "/log/checkpoint"));
  const paths = new Set<string>();
  for (let level = 0; TILE_WIDTH ** level <= size; level++) {
    const count = Math.floor(size / TILE_WIDTH ** level);
    for (let index = 0; index * TILE_WIDTH < count; index++) {
      const width = Math.min(TILE_WIDTH, count - index * TILE_WIDTH);
      paths.add(tilePath({ level, index, width }));
      if (level === 0) paths.add(tilePath({ level: "entries", index, width }));
    }
  }
  for (const p of paths) await save(p, await get(getTile, `/log/${p}`, { path: p.split("/").slice(1) }));
}

let vkey = "";
let older = "";
beforeAll(async () => {
  const append = (n: number, from: number) =>
    db().$transaction(
      async (tx) => {
        for (let i = from; i < from + n; i++)
          await appendAuditEvent(tx, {
            actor: { type: "system", id: "test" },
            action: "certificate.revoked",
            subject: { type: "certificate", id: `crt_${i}` },
            state: { revoked: true, i },
            data: { licenseId: `lic_${i % 7}` },
            requestId: "req_read_api_test",
          });
      },
      { timeout: 120_000 },
    );
  await append(40, 0);
  await integrateLog();
  older = (await (await get(getCheckpoint, "/log/checkpoint")).text()) as string;
  fs.writeFileSync(path.join(dir, "older-checkpoint"), older);
  await append(240, 40);
  await integrateLog();
  vkey = (await getLogSigner()).verifierKey;
}, 240_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the public log, read by the standalone verifier", () => {
  it("serves the checkpoint and tiles (immutable) and refuses paths outside the layout", async () => {
    const checkpoint = await get(getCheckpoint, "/log/checkpoint");
    expect(checkpoint.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(checkpoint.headers.get("cache-control")).toBe("public, max-age=1, must-revalidate");
    const size = Number((await checkpoint.text()).split("\n")[1]);
    const [edge] = edgeTileAddresses(size);
    const tile = await get(getTile, "/log/tile/0/000", { path: ["0", "000"] });
    expect(tile.status).toBe(200);
    expect(tile.headers.get("cache-control")).toContain("immutable");
    expect(tile.headers.get("content-length")).toBe(String(256 * 32));
    const first = Buffer.from(await tile.arrayBuffer());
    expect(first.byteLength).toBe(256 * 32);
    // Served again from the process's cache, whose bytes every response shares: the same bytes, whole.
    const again = await get(getTile, "/log/tile/0/000", { path: ["0", "000"] });
    expect(again.headers.get("content-length")).toBe(String(256 * 32));
    expect(Buffer.from(await again.arrayBuffer()).equals(first)).toBe(true);
    const beyond = await get(getTile, "/log/tile/0/x", { path: ["0", String(edge.index).padStart(3, "0")] });
    expect(beyond.status).toBe(404); // the full tile does not exist yet, only its partial
    for (const bad of [
      ["0", "5"],
      ["99", "000"],
      ["entries", "000.p", "0"],
    ])
      expect((await get(getTile, "/log/tile/bad", { path: bad })).status).toBe(400);
    const entries = await get(getEntries, "/api/log/entries?subjectType=certificate&subjectId=crt_7");
    expect((await entries.json()).entries).toHaveLength(1);
    expect((await get(getProof, "/api/log/proof?index=abc")).status).toBe(400);
    expect((await get(getProof, `/api/log/proof?index=${size}`)).status).toBe(404);
  });

  it("verifies the whole log, an inclusion and a consistency from a mirror folder; refuses a tampered mirror", async () => {
    const latest = await (await get(getCheckpoint, "/log/checkpoint")).text();
    await mirror(Number(latest.split("\n")[1]));
    const whole = await verifier("log", "--log", dir, "--key", vkey, "--json");
    expect(whole.code, whole.stderr).toBe(0);
    expect(JSON.parse(whole.stdout)).toMatchObject({ entries: Number(latest.split("\n")[1]) });
    const inclusion = await verifier("inclusion", "--log", dir, "--key", vkey, "--index", "260", "--json");
    expect(inclusion.code, inclusion.stderr).toBe(0);
    expect(JSON.parse(inclusion.stdout).entry.action).toBe("certificate.revoked");
    const older = path.join(dir, "older-checkpoint");
    const consistency = await verifier("consistency", "--log", dir, "--key", vkey, "--old", older, "--json");
    expect(consistency.code, consistency.stderr).toBe(0);

    // Offline, from the proof endpoint's answer alone.
    const proofFile = path.join(dir, "proof.json");
    fs.writeFileSync(proofFile, await (await get(getProof, "/api/log/proof?index=3")).text());
    expect((await verifier("inclusion", "--key", vkey, "--proof", proofFile)).code).toBe(0);

    // A mirror (or a portal) serving one altered entry: every check that touches it refuses.
    const bundle = path.join(dir, "tile/entries/000");
    const bytes = fs.readFileSync(bundle);
    fs.writeFileSync(bundle, Buffer.from(bytes.toString("latin1").replace("crt_1", "crt_X"), "latin1"));
    const refused = await verifier("log", "--log", dir, "--key", vkey);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/tile 0\/0 does not match the entries/);
    const wrongKey = await verifier("checkpoint", "--log", dir, "--key", vkey.replace(/.{4}$/, "AAA="));
    expect(wrongKey.code).not.toBe(0);
  }, 240_000);
});
