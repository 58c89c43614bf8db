import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FAST_LANE_MAX_BODY_BYTES,
  fastLaneHandlerFor,
  installProtocolFastLane,
  oidcFastLaneRoutes,
} from "@/lib/protocol-fast-lane/install-protocol-fast-lane";
import { installPeerAddressHeader, peerAddressOf, PEER_ADDRESS_HEADER } from "@/lib/http/peer-address";
import { resetEnvForTests } from "@/lib/config/env";
import { securityHeaders } from "@/lib/http/security-headers";
import * as discoveryRoute from "@/app/.well-known/openid-configuration/route";
import * as jwksRoute from "@/app/oidc/jwks/route";
import * as tokenRoute from "@/app/oidc/token/route";
import * as userinfoRoute from "@/app/oidc/userinfo/route";
import { config as proxyConfig } from "@/proxy";
import { protocolDocumentRoute } from "@/lib/oidc/http/public-document-route";
import { plainAnswerRoute } from "@/lib/http/serve-route-handler-like-next";
import { installComposition } from "@/lib/composition/composition";
import { logFastLaneRoutes } from "@/lib/protocol-fast-lane/log-fast-lane-routes";
import * as checkpointRoute from "@/app/log/checkpoint/route";
import * as tileRoute from "@/app/log/tile/[...path]/route";
import * as keyRoute from "@/app/log/key/route";
import { apiRoute } from "@/lib/http/api-route";
import { type PublicFile, publicFileResponse } from "@/lib/http/serve-public-file-like-next";
import { portalComposition } from "@/lib/composition/portal-composition";

// Discovery lists the claims of the installed claim sources, as in a started portal.
beforeAll(() => installComposition(portalComposition));

const get = (url: string, method = "GET", headers: http.IncomingHttpHeaders = {}) => ({ method, url, headers });

describe("which requests take the protocol fast lane", () => {
  it("dispatches each hot method and exact path to the function its app/ route exports", () => {
    expect(fastLaneHandlerFor(get("/.well-known/openid-configuration"))).toBe(discoveryRoute.GET);
    expect(fastLaneHandlerFor(get("/oidc/jwks?x=1"))).toBe(jwksRoute.GET);
    expect(fastLaneHandlerFor(get("/oidc/token", "POST", { "content-length": "40" }))).toBe(tokenRoute.POST);
    expect(fastLaneHandlerFor(get("/oidc/token", "OPTIONS"))).toBe(tokenRoute.OPTIONS);
    expect(fastLaneHandlerFor(get("/oidc/userinfo"))).toBe(userinfoRoute.GET);
    expect(fastLaneHandlerFor(get("/oidc/userinfo", "POST"))).toBe(userinfoRoute.POST);
  });

  it("dispatches the log's checkpoint, key and every path below /log/tile/ to the functions app/log exports", () => {
    expect(fastLaneHandlerFor(get("/log/checkpoint"), logFastLaneRoutes)).toBe(checkpointRoute.GET);
    expect(fastLaneHandlerFor(get("/log/key"), logFastLaneRoutes)).toBe(keyRoute.GET);
    expect(fastLaneHandlerFor(get("/log/tile/0/x001/234.p/7"), logFastLaneRoutes)).toBe(tileRoute.GET);
    expect(fastLaneHandlerFor(get("/log/tile/entries/000"), logFastLaneRoutes)).toBe(tileRoute.GET);
    for (const req of [
      get("/log/tile/"),
      get("/log/tile"),
      get("/log/checkpoint/"),
      get("/log/checkpoint", "HEAD"),
      get("/log/tile/0/000", "OPTIONS"),
      get("/log/key/"),
      get("/log/key", "POST"),
      get("/log"),
    ])
      expect(fastLaneHandlerFor(req, logFastLaneRoutes), `${req.method} ${req.url}`).toBeUndefined();
  });

  it("leaves every other method, spelling and unbounded body to Next", () => {
    for (const req of [
      get("/oidc/token"),
      get("/oidc/jwks", "HEAD"),
      get("/oidc/jwks", "PUT"),
      get("/oidc/jwks/"),
      get("/oidc//jwks"),
      get("/OIDC/jwks"),
      get("/oidc/%6Awks"),
      get("http://localhost/oidc/jwks"),
      get("/oidc/introspect", "POST"),
      get("/.well-known/openid-configuration/x"),
      get("/oidc/token", "POST", { "transfer-encoding": "chunked" }),
      get("/oidc/token", "POST", { "content-length": String(FAST_LANE_MAX_BODY_BYTES + 1) }),
    ]) {
      expect(fastLaneHandlerFor(req), `${req.method} ${req.url}`).toBeUndefined();
    }
  });

  it("covers only paths proxy.ts skips, so no request loses the proxy by taking the lane", () => {
    // Next compiles this matcher as an anchored regular expression.
    const matchers = ([] as string[]).concat(proxyConfig.matcher).map((m) => new RegExp(`^${m}$`));
    expect(matchers.some((m) => m.test("/orgs"))).toBe(true);
    for (const path of [
      ...oidcFastLaneRoutes.keys(),
      "/log/checkpoint",
      "/log/key",
      "/log/tile/0/000",
      "/log/tile/entries/x1/000",
    ])
      expect(
        matchers.some((m) => m.test(path)),
        path,
      ).toBe(false);
  });
});

describe("a server with the lane installed", () => {
  let server: http.Server;
  let base: string;
  let uninstall: () => void;
  const bytes = new Uint8Array([0, 1, 2, 255, 13, 10]);
  const seenByNext: { url?: string; peer?: string }[] = [];

  beforeAll(async () => {
    Object.assign(process.env, {
      PUBLIC_URL: "https://issuer.example.test",
      AUTH_SECRET: "x".repeat(40),
      MASTER_KEY: Buffer.alloc(32, 3).toString("base64"),
    });
    resetEnvForTests();
    installPeerAddressHeader();
    // An echo route beside the real ones, to see what a handler in the lane is given.
    const routes = new Map(oidcFastLaneRoutes);
    // A document that cannot be had: the lane must fall back to the handler, which answers the error.
    routes.set("/broken-document", {
      GET: protocolDocumentRoute(async () => Promise.reject(new Error("key store unreachable"))),
    });
    routes.set("/echo", {
      POST: async (req) =>
        Response.json({
          url: req.url,
          body: await req.text(),
          peer: peerAddressOf(req.headers) ?? null,
          forwardedFor: req.headers.get("x-forwarded-for"),
          forwardedPort: req.headers.get("x-forwarded-port"),
        }),
    });
    // A plain handler: the lane runs its `answer` with the lighter request reader.
    routes.set("/plain-echo", {
      POST: plainAnswerRoute(async (req) => ({
        status: 201,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          url: req.url,
          method: req.method,
          body: await req.text(),
          accept: req.headers.get("Accept"),
          missing: req.headers.get("x-missing"),
          peer: peerAddressOf(req.headers) ?? null,
          forwardedFor: req.headers.get("x-forwarded-for"),
        }),
      })),
    });
    // Public files below a prefix, as the log's tiles: one at hand, one read, one that fails, one left to Next.
    const atHand: PublicFile = { status: 200, headers: { "content-type": "application/octet-stream" }, body: bytes };
    const fileOf = ({ pathname }: { pathname: string }): PublicFile | Promise<PublicFile> | undefined => {
      const rest = pathname.slice("/files/".length);
      if (rest === "at-hand") return atHand;
      if (rest === "read") return Promise.resolve({ ...atHand, status: 404, body: "none\n" });
      if (rest === "failing") return Promise.reject(new Error("tile store unreachable"));
      return undefined;
    };
    const fileRoute = apiRoute(async (req) => {
      const file = fileOf({ pathname: new URL(req.url).pathname });
      return file ? publicFileResponse(await file) : new Response("next", { status: 418 });
    });
    routes.set("/files/", { GET: Object.assign(fileRoute, { publicFile: fileOf }) });
    uninstall = installProtocolFastLane("https://issuer.example.test", routes);
    // The stand-in for Next's request listener.
    server = http.createServer((req, res) => {
      seenByNext.push({
        url: req.url,
        peer: peerAddressOf(new Headers({ [PEER_ADDRESS_HEADER]: String(req.headers[PEER_ADDRESS_HEADER]) })),
      });
      res.end("next");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    uninstall();
    await new Promise((r) => server.close(r));
  });

  it("answers discovery itself, with the handler's headers, Next's headers and a request id", async () => {
    const before = seenByNext.length;
    const res = await fetch(`${base}/.well-known/openid-configuration`, {
      headers: { "x-request-id": "req_unit_lane_1" },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { issuer: string }).issuer).toBe("https://issuer.example.test");
    expect(seenByNext.length).toBe(before);
    for (const { key, value } of securityHeaders()) expect(res.headers.get(key), key).toBe(value);
    expect(res.headers.get("vary")).toBe(
      "rsc, next-router-state-tree, next-router-prefetch, next-router-segment-prefetch",
    );
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("x-request-id")).toBe("req_unit_lane_1");
  });

  it("sends a document the same way each time, with a request id of its own", async () => {
    const first = await fetch(`${base}/.well-known/openid-configuration`);
    const second = await fetch(`${base}/.well-known/openid-configuration`);
    expect(await first.text()).toBe(await second.text());
    expect(first.headers.get("content-length")).toBe(second.headers.get("content-length"));
    expect(first.headers.get("x-request-id")).toMatch(/^req_/);
    expect(first.headers.get("x-request-id")).not.toBe(second.headers.get("x-request-id"));
  });

  it("falls back to the handler when a document cannot be had, which answers the error as under Next", async () => {
    const before = seenByNext.length;
    const res = await fetch(`${base}/broken-document`);
    expect(res.status).toBe(500);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(((await res.json()) as { error: string }).error).toBe("server_error");
    for (const { key, value } of securityHeaders()) expect(res.headers.get(key), key).toBe(value);
    expect(seenByNext.length).toBe(before);
  });

  it("gives a handler the path, query, body, stamped peer address and forwarded headers", async () => {
    const res = await fetch(`${base}/echo?a=1`, { method: "POST", body: "grant_type=x" });
    expect(await res.json()).toEqual({
      url: "https://issuer.example.test/echo?a=1",
      body: "grant_type=x",
      peer: "127.0.0.1",
      forwardedFor: "127.0.0.1",
      forwardedPort: base.split(":")[2],
    });
  });

  it("gives a plain handler what a WHATWG Request would give, and sends its answer with Next's headers", async () => {
    const before = seenByNext.length;
    // A byte order mark, UTF-8 and a malformed sequence: decoded as Request.text() decodes them.
    const body = Buffer.concat([Buffer.from("\uFEFFname=caf\u00e9&x="), Buffer.from([0xc3]), Buffer.from("&y=1")]);
    const res = await fetch(`${base}/plain-echo?q=1`, { method: "POST", headers: { accept: "a/b" }, body });
    expect(res.status).toBe(201);
    const echoed = await res.json();
    expect(echoed).toEqual({
      url: "https://issuer.example.test/plain-echo?q=1",
      method: "POST",
      body: await new Request("http://x/", { method: "POST", body }).text(),
      accept: "a/b",
      missing: null,
      peer: "127.0.0.1",
      forwardedFor: "127.0.0.1",
    });
    expect(echoed.body.startsWith("name=café")).toBe(true);
    for (const { key, value } of securityHeaders()) expect(res.headers.get(key), key).toBe(value);
    expect(res.headers.get("content-length")).toBe(String(Buffer.byteLength(JSON.stringify(echoed))));
    expect(seenByNext.length).toBe(before);
  });

  it("refuses a token request without client authentication in the OAuth format, with the Basic challenge", async () => {
    const res = await fetch(`${base}/oidc/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Basic realm="guildhall"');
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    expect(await res.json()).toEqual({
      error: "invalid_client",
      error_description: "no client authentication was provided",
    });
  });

  it("sends a public file below a prefix as it is, with Next's headers; a failure as apiRoute answers it", async () => {
    const before = seenByNext.length;
    const res = await fetch(`${base}/files/at-hand`, { headers: { "x-request-id": "req_unit_lane_file" } });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    expect(res.headers.get("content-length")).toBe(String(bytes.length));
    expect(res.headers.get("x-request-id")).toBe("req_unit_lane_file");
    for (const { key, value } of securityHeaders()) expect(res.headers.get(key), key).toBe(value);
    const read = await fetch(`${base}/files/read`);
    expect([read.status, await read.text()]).toEqual([404, "none\n"]);
    const failing = await fetch(`${base}/files/failing`, { headers: { "x-request-id": "req_unit_lane_fail" } });
    expect(failing.status).toBe(500);
    expect(failing.headers.get("x-request-id")).toBe("req_unit_lane_fail");
    expect(((await failing.json()) as { error: { code: string } }).error.code).toBe("INTERNAL");
    expect(seenByNext.length).toBe(before);
    // A path the handler does not take, a query, another method: Next's.
    for (const [method, path] of [
      ["GET", "/files/other"],
      ["GET", "/files/at-hand?x=1"],
      ["HEAD", "/files/at-hand"],
    ]) {
      await fetch(`${base}${path}`, { method });
      expect(seenByNext.at(-1)?.url, `${method} ${path}`).toBe(path);
    }
  });

  it("passes everything else to Next, still stamped with the peer address", async () => {
    for (const path of ["/oidc/jwks/", "/oidc/introspect", "/oidc/token"]) {
      const res = await fetch(`${base}${path}`);
      expect(await res.text(), path).toBe("next");
      expect(seenByNext.at(-1)).toEqual({ url: path, peer: "127.0.0.1" });
    }
  });
});
