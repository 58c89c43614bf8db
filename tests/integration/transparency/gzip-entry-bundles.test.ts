import { execFile } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { integrateLog } from "@/lib/transparency/integrate-log";
import { getLogSigner } from "@/lib/transparency/log-signer";
import { installProtocolFastLane } from "@/lib/protocol-fast-lane/install-protocol-fast-lane";
import { logFastLaneRoutes } from "@/lib/protocol-fast-lane/log-fast-lane-routes";
import { acceptsGzip } from "@/lib/transparency/http/serve-log-files";
import { GET as getTile } from "@/app/log/tile/[...path]/route";

/**
 * Entry bundles go gzipped to clients that accept gzip, from the protocol fast lane (the production server's
 * path for the log's files): decoded, the very bytes Next's route sends; hash tiles and clients that do not
 * accept gzip get the bytes as they are; and the standalone verifier reads the log over HTTP through it.
 */
const run = promisify(execFile);
let server: http.Server;
let base = "";
let uninstall: () => void = () => {};
let size = 0;

type Answer = { status: number; headers: http.IncomingHttpHeaders; bytes: Buffer };
const send = (path: string, headers: Record<string, string> = {}) =>
  new Promise<Answer>((resolve, reject) => {
    http
      .get(`${base}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }),
        );
      })
      .on("error", reject);
  });
const throughNext = async (path: string) => {
  const segments = path.slice("/log/tile/".length).split("/");
  const res = await getTile(new Request(`http://localhost:3999${path}`, { headers: { "accept-encoding": "gzip" } }), {
    params: Promise.resolve({ path: segments }),
  });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
};

beforeAll(async () => {
  // 300 entries: one full bundle and the partial one after it.
  await db().$transaction(
    async (tx) => {
      for (let i = 0; i < 300; i++)
        await appendAuditEvent(tx, {
          actor: { type: "system", id: "test" },
          action: "certificate.revoked",
          subject: { type: "certificate", id: `crt_gzip_${i}` },
          state: { revoked: true, i },
          data: { licenseId: `lic_${i % 7}`, reason: "superseded" },
          requestId: "req_gzip_test",
        });
    },
    { timeout: 120_000 },
  );
  while ((await integrateLog()).added > 0);
  size = (await integrateLog()).size;
  uninstall = installProtocolFastLane("http://localhost:3999", logFastLaneRoutes);
  // What the lane does not answer reaches this stand-in for Next.
  server = http.createServer((_req, res) => res.writeHead(599).end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 240_000);

afterAll(async () => {
  uninstall();
  await new Promise((resolve) => server.close(resolve));
});

describe("entry bundles over HTTP", () => {
  it("go gzipped to a client that accepts gzip, decoding to the bytes Next's route sends, full and partial", async () => {
    expect(size).toBeGreaterThanOrEqual(300);
    const partial = `/log/tile/entries/001.p/${size - 256}`;
    for (const path of ["/log/tile/entries/000", partial]) {
      const raw = await send(path);
      const gzipped = await send(path, { "accept-encoding": "gzip, deflate, br" });
      const next = await throughNext(path);
      expect([raw.status, gzipped.status, next.res.status], path).toEqual([200, 200, 200]);
      // Next sends a route's body as it is (it drops a route's Content-Encoding): the bytes as stored.
      expect(next.bytes.equals(raw.bytes), path).toBe(true);
      expect(raw.headers["content-encoding"], path).toBeUndefined();
      expect(raw.headers["content-length"], path).toBe(String(raw.bytes.length));
      expect(gzipped.headers["content-encoding"], path).toBe("gzip");
      expect(gzipped.headers["content-length"], path).toBe(String(gzipped.bytes.length));
      expect(gunzipSync(gzipped.bytes).equals(raw.bytes), path).toBe(true);
      expect(gzipped.bytes.length, path).toBeLessThan(raw.bytes.length / 2);
      // Both answers tell caches they depend on Accept-Encoding, beside the Vary Next adds to every route.
      for (const answer of [raw, gzipped]) {
        expect(answer.headers.vary, path).toMatch(/^rsc, .*, accept-encoding$/);
        expect(answer.headers["cache-control"], path).toBe("public, max-age=31536000, immutable");
      }
      expect(next.res.headers.get("vary"), path).toBe("accept-encoding");
      // Served again from the process's cache, which keeps both forms: the same bytes.
      expect((await send(path, { "accept-encoding": "gzip" })).bytes.equals(gzipped.bytes), path).toBe(true);
      expect((await send(path)).bytes.equals(raw.bytes), path).toBe(true);
    }
  });

  it("go as they are to a client that refuses gzip, and hash tiles always do", async () => {
    const bundle = await send("/log/tile/entries/000");
    for (const refusing of ["identity", "gzip;q=0, deflate", "*;q=0", "br"]) {
      const answer = await send("/log/tile/entries/000", { "accept-encoding": refusing });
      expect(answer.headers["content-encoding"], refusing).toBeUndefined();
      expect(answer.bytes.equals(bundle.bytes), refusing).toBe(true);
    }
    const tile = await send("/log/tile/0/000", { "accept-encoding": "gzip" });
    expect(tile.headers["content-encoding"]).toBeUndefined();
    expect(tile.headers.vary).not.toMatch(/accept-encoding/);
    expect(tile.bytes.length).toBe(256 * 32);
  });

  it("are read by the standalone verifier over HTTP, gzipped", async () => {
    const { stdout } = await run(process.execPath, [
      "tools/log-verify/bin.mjs",
      "log",
      "--log",
      `${base}/log`,
      "--key",
      (await getLogSigner()).verifierKey,
      "--json",
    ]);
    expect(JSON.parse(stdout.trim().split("\n").at(-1) as string)).toMatchObject({ entries: size });
  });

  it("reads Accept-Encoding as RFC 9110 does", () => {
    for (const yes of ["gzip", "GZIP", "deflate, gzip;q=0.5", "x-gzip", "*", "br, *;q=0.1", "gzip;q=1.0"])
      expect(acceptsGzip(yes), yes).toBe(true);
    for (const no of [null, "", "identity", "br", "gzip;q=0", "gzip;q=0.000", "*;q=0", "*, gzip;q=0"])
      expect(acceptsGzip(no), String(no)).toBe(false);
  });
});
