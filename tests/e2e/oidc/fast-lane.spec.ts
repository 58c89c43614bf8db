import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { expect, test } from "@playwright/test";
import * as oidc from "openid-client";
import { signInWithEmailCode } from "../support/sign-in";
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

/**
 * The protocol fast lane (lib/protocol-fast-lane/install-protocol-fast-lane.ts) answers
 * exactly as Next does. The e2e portal runs with the lane; this spec starts a
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

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

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
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
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
  // The same secrets as scripts/e2e-server.mjs, so both portals read the same keys.
  nextOnly = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "-p", String(nextPort), "-H", "127.0.0.1"],
    {
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
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
    },
  );
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
  await signInWithEmailCode(page, demoAccounts.members[1].email);
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
