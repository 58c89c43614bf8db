import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { gunzipSync } from "node:zlib";
import { expect, test } from "@playwright/test";
import * as oidc from "openid-client";
import { useSharedSession } from "../support/sign-in";
import { e2eDatabaseUrl } from "../support/database";
import {
  authorizeInContext,
  createOidcClient,
  relyingParty,
  startAuthorization,
  type CreatedClient,
} from "../support/oidc";
import { demoAccounts } from "@/lib/seed/demo-accounts";
import { defined } from "../../support/defined";
import { standaloneDir } from "../../deploy/support/standalone-server";

/**
 * The protocol fast lane (lib/protocol-fast-lane/install-protocol-fast-lane.ts) answers
 * exactly as Next does, for the OIDC endpoints and for the log's files. The e2e portal runs with the lane; this spec starts a
 * second portal on the same database and issuer with OIDC_FAST_LANE=0 and
 * sends both the same requests: status, headers and body must agree, except
 * the framing (the lane sends a Content-Length, Next a chunked body), which
 * also shows which path answered.
 */
test.describe.configure({ mode: "serial" });

const REDIRECT = "http://localhost:5561/cb";
const lanePort = Number(process.env.E2E_PORT);
const nextPort = lanePort + 1;
let nextOnly: ChildProcess | undefined;
let machine: CreatedClient;
let web: CreatedClient;

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string; bytes: Buffer };

function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        headers: {
          host: `localhost:${lanePort}`,
          ...(body ? { "content-length": String(Buffer.byteLength(body)) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const bytes = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString("utf8"), bytes });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const FRAMING = new Set(["date", "connection", "keep-alive", "transfer-encoding", "content-length"]);
const withoutFraming = (h: http.IncomingHttpHeaders) =>
  Object.fromEntries(Object.entries(h).filter(([k]) => !FRAMING.has(k)));

async function waitForHealth(port: number) {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the portal without the fast lane did not start");
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  [machine, web] = await Promise.all([
    createOidcClient(["--name", "lane machine", "--grant", "client_credentials", "--scope", "tickets:write"]),
    createOidcClient(["--name", "lane RP", "--redirect-uri", REDIRECT]),
  ]);
  // The same server and secrets as scripts/e2e-server.mjs (the standalone server it runs), so both portals
  // read the same keys and differ only in the lane.
  nextOnly = spawn(process.execPath, ["server.js"], {
    cwd: standaloneDir,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(nextPort),
      HOSTNAME: "127.0.0.1",
      DATABASE_URL: e2eDatabaseUrl(),
      PUBLIC_URL: `http://localhost:${lanePort}`,
      AUTH_SECRET: "e2e-auth-secret-0123456789abcdef0123456789",
      MASTER_KEY: Buffer.alloc(32, 9).toString("base64"),
      SEED_DEMO: "0",
      PAYMENTS_PROVIDER: "simulated",
      RATE_LIMIT_FACTOR: "20",
      LOG_LEVEL: "warn",
      OIDC_FAST_LANE: "0",
    },
  });
  await waitForHealth(nextPort);
});

test.afterAll(async () => {
  if (!nextOnly || nextOnly.exitCode !== null) return;
  const exited = new Promise((r) => defined(nextOnly).once("exit", r));
  nextOnly.kill("SIGTERM");
  await exited;
});

/** Sends one request to both portals and checks they agree; returns the lane's answer. */
async function compare(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
  sameBody: (a: string, b: string) => void = (a, b) => expect(a).toBe(b),
) {
  const requestId = `req_lane_${Math.random().toString(36).slice(2, 12)}`;
  const lane = await send(lanePort, method, path, { ...headers, "x-request-id": requestId }, body);
  const next = await send(nextPort, method, path, { ...headers, "x-request-id": requestId }, body);
  const what = `${method} ${path}`;
  expect(lane.status, what).toBe(next.status);
  expect(withoutFraming(lane.headers), what).toEqual(withoutFraming(next.headers));
  expect(lane.headers["x-request-id"] ?? requestId, what).toBe(requestId);
  sameBody(lane.body, next.body);
  if (next.body) {
    expect(next.headers["transfer-encoding"], `${what} through Next`).toBe("chunked");
    expect(lane.headers["content-length"], `${what} through the lane`).toBe(String(Buffer.byteLength(lane.body)));
  }
  return lane;
}

const basic = (c: CreatedClient) =>
  `Basic ${Buffer.from(`${encodeURIComponent(c.client_id)}:${encodeURIComponent(defined(c.client_secret))}`).toString("base64")}`;
const form = { "content-type": "application/x-www-form-urlencoded" };
const sameTokenShape = (a: string, b: string) => {
  const [x, y] = [JSON.parse(a), JSON.parse(b)];
  expect(Object.keys(x).sort()).toEqual(Object.keys(y).sort());
  expect({ ...x, access_token: undefined }).toEqual({ ...y, access_token: undefined });
};

test("discovery, JWKS and preflights answer as Next does, security headers included", async () => {
  const discovery = await compare("GET", "/.well-known/openid-configuration");
  expect(discovery.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(discovery.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
  expect(discovery.headers["content-encoding"]).toBeUndefined();
  await compare("GET", "/oidc/jwks");
  await compare("GET", "/oidc/jwks", { "accept-encoding": "gzip, br" });
  for (const path of ["/.well-known/openid-configuration", "/oidc/jwks", "/oidc/token", "/oidc/userinfo"]) {
    await compare("OPTIONS", path, { origin: "https://rp.example.test", "access-control-request-method": "POST" });
  }
});

test("token endpoint: issued tokens and each refusal answer as Next does", async () => {
  const granted = await compare(
    "POST",
    "/oidc/token",
    { ...form, authorization: basic(machine) },
    "grant_type=client_credentials&scope=tickets%3Awrite",
    sameTokenShape,
  );
  expect(JSON.parse(granted.body)).toMatchObject({ token_type: "Bearer", scope: "tickets:write" });
  await compare("POST", "/oidc/token", form, "grant_type=client_credentials");
  await compare(
    "POST",
    "/oidc/token",
    { ...form, authorization: basic({ ...machine, client_secret: "wrong" }) },
    "grant_type=client_credentials",
  );
  await compare("POST", "/oidc/token", { "content-type": "application/json", authorization: basic(machine) }, "{}");
  await compare("POST", "/oidc/token", { ...form, authorization: basic(machine) }, "grant_type=password");
});

test("userinfo answers as Next does, for a user's token, a machine's token and none", async ({ page, baseURL }) => {
  await useSharedSession(page, demoAccounts.members[1].email);
  const config = await relyingParty(defined(baseURL), web);
  const start = await startAuthorization(config, { redirect_uri: REDIRECT, scope: "openid email" });
  const callback = await authorizeInContext(page.request, start.url);
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: start.verifier,
    expectedState: start.state,
    expectedNonce: start.nonce,
  });

  const claims = await compare("GET", "/oidc/userinfo", { authorization: `Bearer ${tokens.access_token}` });
  expect(JSON.parse(claims.body)).toMatchObject({ email: demoAccounts.members[1].email, email_verified: true });
  await compare("POST", "/oidc/userinfo", form, `access_token=${encodeURIComponent(tokens.access_token)}`);
  await compare("GET", "/oidc/userinfo");
  const machineToken = JSON.parse(
    (
      await send(
        lanePort,
        "POST",
        "/oidc/token",
        { ...form, authorization: basic(machine) },
        "grant_type=client_credentials",
      )
    ).body,
  ).access_token as string;
  await compare("GET", "/oidc/userinfo", { authorization: `Bearer ${machineToken}` });
});

test("other methods and spellings of the lane's paths still go through Next", async () => {
  for (const [method, path] of [
    ["PUT", "/oidc/jwks"],
    ["GET", "/oidc/jwks/"],
    ["GET", "/oidc/token"],
    ["POST", "/oidc/introspect"],
  ]) {
    const lane = await send(lanePort, method, path);
    const next = await send(nextPort, method, path);
    expect(lane.status, `${method} ${path}`).toBe(next.status);
    expect(lane.headers["content-length"], `${method} ${path}`).toBe(next.headers["content-length"]);
    expect(lane.headers["transfer-encoding"], `${method} ${path}`).toBe(next.headers["transfer-encoding"]);
  }
});

/** Both portals' answers to one request, as bytes; for the log's files, which may be binary. */
async function bothAnswers(method: string, path: string, headers: Record<string, string> = {}) {
  const requestId = `req_lane_${Math.random().toString(36).slice(2, 12)}`;
  const lane = await send(lanePort, method, path, { ...headers, "x-request-id": requestId });
  const next = await send(nextPort, method, path, { ...headers, "x-request-id": requestId });
  return { lane, next, what: `${method} ${path}` };
}

function expectSameAnswer({ lane, next, what }: { lane: Answer; next: Answer; what: string }) {
  expect(lane.status, what).toBe(next.status);
  expect(withoutFraming(lane.headers), what).toEqual(withoutFraming(next.headers));
  expect(lane.bytes.equals(next.bytes), `${what}: the same body, byte for byte`).toBe(true);
  if (lane.headers["content-length"] !== undefined)
    expect(lane.headers["content-length"], what).toBe(String(lane.bytes.length));
}

/** The checkpoint changes whenever something is logged: asks both until they serve the same one. */
async function sameCheckpoint(headers: Record<string, string> = {}) {
  for (let attempt = 0; ; attempt++) {
    const answers = await bothAnswers("GET", "/log/checkpoint", headers);
    if (answers.lane.headers.etag === answers.next.headers.etag || attempt === 20) return answers;
    await new Promise((r) => setTimeout(r, 300));
  }
}

test("the log's checkpoint, tiles, entry bundles and key answer as Next does, byte for byte", async () => {
  test.setTimeout(120_000);
  // The demo's history is integrated by the portal's background task within a second or so of its start.
  await expect.poll(async () => (await send(lanePort, "GET", "/log/checkpoint")).status, { timeout: 60_000 }).toBe(200);
  const checkpoint = await sameCheckpoint();
  expectSameAnswer(checkpoint);
  // The lane sends the checkpoint with a Content-Length, Next as a chunked body: the lane answered it.
  expect(checkpoint.next.headers["transfer-encoding"]).toBe("chunked");
  expect(checkpoint.lane.headers["content-length"]).toBe(String(checkpoint.lane.bytes.length));
  expect(checkpoint.lane.headers["cache-control"]).toBe("public, max-age=1, must-revalidate");
  const etag = defined(checkpoint.lane.headers.etag);
  const revalidated = await sameCheckpoint({ "if-none-match": etag });
  expectSameAnswer(revalidated);
  expect([revalidated.lane.status, revalidated.lane.bytes.length]).toEqual([304, 0]);

  const size = Number(checkpoint.lane.body.split("\n")[1]);
  expect(size).toBeGreaterThan(0);
  const firstTile = size >= 256 ? "000" : `000.p/${size}`;
  const full = [`/log/tile/0/${firstTile}`, `/log/tile/entries/${firstTile}`];
  for (const path of full) {
    const answers = await bothAnswers("GET", path);
    expectSameAnswer(answers);
    expect(answers.lane.status, path).toBe(200);
    expect(answers.lane.headers["cache-control"], path).toBe("public, max-age=31536000, immutable");
    expect(answers.lane.headers["content-type"], path).toBe("application/octet-stream");
    // Served again from the process's cache: the same bytes.
    expect((await send(lanePort, "GET", path)).bytes.equals(answers.lane.bytes), path).toBe(true);
  }
  expect((await bothAnswers("GET", `/log/tile/0/${firstTile}`)).lane.bytes.length).toBe(Math.min(size, 256) * 32);
  // A client accepting gzip (as browsers, fetch and CDNs do): the lane sends entry bundles gzipped, Next's route
  // as they are (Next drops a route's Content-Encoding); otherwise the same headers, and the same bytes decoded.
  for (const path of full) {
    const answers = await bothAnswers("GET", path, { "accept-encoding": "gzip, deflate, br" });
    const { lane, next, what } = answers;
    if (!path.includes("/entries/")) {
      expectSameAnswer(answers);
      expect(lane.headers["content-encoding"], what).toBeUndefined();
      continue;
    }
    expect([lane.status, next.status], what).toEqual([200, 200]);
    expect([lane.headers["content-encoding"], next.headers["content-encoding"]], what).toEqual(["gzip", undefined]);
    const { "content-encoding": _, ...laneHeaders } = withoutFraming(lane.headers);
    expect(laneHeaders, what).toEqual(withoutFraming(next.headers));
    expect(lane.headers.vary, what).toMatch(/, accept-encoding$/);
    expect(lane.headers["content-length"], what).toBe(String(lane.bytes.length));
    expect(gunzipSync(lane.bytes).equals(next.bytes), `${what}: decoded, Next's bytes`).toBe(true);
  }
  const key = await bothAnswers("GET", "/log/key");
  expectSameAnswer(key);
  expect([key.lane.status, key.lane.headers["cache-control"]]).toEqual([200, "public, max-age=300"]);
  expect(key.lane.body).toMatch(/^[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*\n$/);

  // Not held (yet), outside the layout, and spellings only Next judges (it decodes, redirects, refuses).
  const refusals: [string, string][] = [
    ["GET", "/log/tile/0/x999/999"],
    ["GET", "/log/tile/entries/x001/000.p/7"],
    ["GET", "/log/tile/0/5"],
    ["GET", "/log/tile/99/000"],
    ["GET", "/log/tile/entries/000.p/0"],
    ["GET", "/log/tile/0/000.p/256"],
    ["GET", "/log/tile/0/000.p/"],
    ["GET", "/log/tile/0/000.p"],
    ["GET", "/log/tile/x"],
    ["GET", "/log/tile/0/000/"],
    ["GET", "/log/tile/0//000"],
    ["GET", "/log/tile/0/./000"],
    ["GET", "/log/tile/0/%30%30%30"],
    ["GET", "/log/tile/0/%00"],
    ["GET", "/log/tile/0/000?x=1"],
    ["GET", "/log/tile/0/000?x=%01"],
    ["GET", "/log/checkpoint?x=1"],
    ["GET", "/log/checkpoint/"],
    ["GET", "/log/key/"],
    ["GET", "/log/key?x=1"],
    ["POST", "/log/key"],
    ["HEAD", `/log/tile/0/${firstTile}`],
    ["POST", `/log/tile/0/${firstTile}`],
  ];
  const statuses: Record<string, number> = {};
  for (const [method, path] of refusals) {
    const answers = await bothAnswers(method, path);
    if (path.startsWith("/log/checkpoint")) {
      expect(answers.lane.status, answers.what).toBe(answers.next.status);
      continue;
    }
    expectSameAnswer(answers);
    statuses[`${method} ${path}`] = answers.lane.status;
  }
  expect(statuses["GET /log/tile/0/x999/999"]).toBe(404);
  expect(statuses["GET /log/tile/0/5"]).toBe(400);
  expect(statuses["GET /log/tile/0/%00"]).toBe(400);
});
