// Must load before any Next module: it installs the AsyncLocalStorage global that Next's request scope needs.
import "next-test-api-route-handler";
import { describe, expect, it } from "vitest";
import { SignJWT } from "jose";
import { newId } from "@/lib/ids";
import { issueInitialAccessToken } from "@/lib/oidc/clients/initial-access-tokens";
import * as authorizeRoute from "@/app/oidc/authorize/route";
import * as tokenRoute from "@/app/oidc/token/route";
import * as endSessionRoute from "@/app/oidc/end-session/route";
import * as resumeRoute from "@/app/oidc/authorize/resume/route";
import * as registerRoute from "@/app/oidc/register/route";
import * as decisionRoute from "@/app/oidc/interaction/[id]/decision/route";
import * as payRoute from "@/app/api/pay/simulated/[orderId]/route";
import * as nextAuthRoute from "@/app/api/auth/[...nextauth]/route";
import * as emailCodeRoute from "@/app/api/auth/email-code/route";
import { revokeGrantAction } from "@/app/account/apps/actions";
import { revokeInitialAccessTokenAction } from "@/app/admin/clients/actions";
import { callRoute, rowCounts, sessionCookieFor, type RouteCall, type RouteModule } from "../../support/route-harness";
import { seedUser } from "../../support/factories";
import { registerPrivateKeyJwtClient } from "../../support/oidc-clients";

/**
 * The requests the outside review (issue 12) saw answered with a 5xx, each
 * now refused at the edge with a 4xx in its endpoint's error shape, and with
 * every table's row count as it was.
 */
const ORIGIN = "http://localhost:3999";
const form = { "content-type": "application/x-www-form-urlencoded" };
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

async function refused(
  route: RouteModule,
  call: RouteCall,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const before = await rowCounts();
  const res = await callRoute(route, call);
  const text = await res.text();
  expect(res.status, `${call.method ?? "GET"} ${call.url}: ${text}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${call.method ?? "GET"} ${call.url}: ${text}`).toBeLessThan(500);
  expect(await rowCounts()).toEqual(before);
  const json = (res.headers.get("content-type") ?? "").includes("json");
  return { status: res.status, body: json ? JSON.parse(text) : { html: text } };
}

describe("NUL bytes and lone surrogates never reach PostgreSQL", () => {
  it("/oidc/authorize: client_id, state, nonce, login_hint", async () => {
    for (const name of ["client_id", "state", "nonce", "login_hint"]) {
      const query = new URLSearchParams({ client_id: "x", response_type: "code", scope: "openid", [name]: "a\u0000b" });
      const { status, body } = await refused(authorizeRoute, { url: `/oidc/authorize?${query}` });
      expect(status).toBe(400);
      expect(String(body.html)).toContain("control character");
    }
  });

  it("/oidc/token: client_id in Basic credentials or in the body", async () => {
    const inBasic = await refused(tokenRoute, {
      method: "POST",
      url: "/oidc/token",
      headers: { ...form, authorization: basic("a%00b", "x") },
      body: "grant_type=client_credentials",
    });
    expect(inBasic.body.error).toBe("invalid_client");
    const inBody = await refused(tokenRoute, {
      method: "POST",
      url: "/oidc/token",
      headers: form,
      body: "grant_type=client_credentials&client_id=a%00b&client_secret=x",
    });
    expect(inBody).toMatchObject({ status: 400, body: { error: "invalid_request" } });
  });

  it("/oidc/end-session and the interaction resume", async () => {
    const logout = await refused(endSessionRoute, { url: "/oidc/end-session?client_id=a%00b" });
    expect(logout.status).toBe(400);
    const resume = await refused(resumeRoute, { url: "/oidc/authorize/resume?interaction=a%00b" });
    expect(resume.status).toBe(400);
  });

  it("dynamic registration: a NUL byte or a lone surrogate in the metadata", async () => {
    const { user: admin } = await seedUser({ roles: ["ORG_ADMIN"] });
    const { token } = await issueInitialAccessToken({
      actor: { type: "user", id: admin.id },
      hostOrgId: null,
      ttlDays: 1,
    });
    for (const name of ['"a\\u0000b"', '"a\\ud800b"']) {
      const { status, body } = await refused(registerRoute, {
        method: "POST",
        url: "/oidc/register",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: `{"client_name":${name},"redirect_uris":["https://rp.example/cb"]}`,
      });
      expect(status).toBe(400);
      expect(body.error).toBe("invalid_client_metadata");
    }
  });

  it("/api/auth/email-code: a NUL byte in a JSON field", async () => {
    const { body } = await refused(emailCodeRoute, {
      method: "POST",
      url: "/api/auth/email-code",
      headers: { "content-type": "application/json", origin: ORIGIN },
      body: '{"email":"a\\u0000@example.com"}',
    });
    expect(body).toMatchObject({ error: { code: "BAD_REQUEST", reason: "MALFORMED_INPUT" } });
  });
});

describe("bodies of the wrong kind", () => {
  it("the simulated pay endpoint refuses a body that is no form", async () => {
    const { body } = await refused(payRoute, {
      method: "POST",
      url: "/api/pay/simulated/ord_x",
      params: { orderId: "ord_x" },
      headers: { "content-type": "text/plain", origin: ORIGIN },
      body: "card=4242",
    });
    expect(body).toMatchObject({ error: { code: "BAD_REQUEST" } });
  });

  it("the next-auth callback refuses JSON", async () => {
    const { body } = await refused(nextAuthRoute, {
      method: "POST",
      url: "/api/auth/callback/email-code",
      params: { nextauth: ["callback", "email-code"] },
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(body).toMatchObject({ error: { code: "BAD_REQUEST" } });
  });

  it("the interaction decision refuses a JSON body and no body", async () => {
    const call = { method: "POST", url: "/oidc/interaction/int_x/decision", params: { id: "int_x" } };
    await refused(decisionRoute, {
      ...call,
      headers: { "content-type": "application/json", origin: ORIGIN },
      body: "{}",
    });
    await refused(decisionRoute, { ...call, headers: { origin: ORIGIN } });
  });

  it("a query with a malformed %-escape", async () => {
    const { body } = await refused(resumeRoute, { url: "/oidc/authorize/resume?interaction=%E0%A4%A" });
    expect(String(body.html)).toContain("malformed");
  });
});

describe("private_key_jwt", () => {
  it("an assertion with exp 1e20 is invalid_client", async () => {
    const { client, privateKey } = await registerPrivateKeyJwtClient();
    const assertion = await new SignJWT({ jti: newId("j"), exp: 1e20 })
      .setProtectedHeader({ alg: "ES256", kid: "k1" })
      .setIssuer(client.client_id)
      .setSubject(client.client_id)
      .setAudience(`${ORIGIN}/oidc/token`)
      .setIssuedAt()
      .sign(privateKey);
    const { body } = await refused(tokenRoute, {
      method: "POST",
      url: "/oidc/token",
      headers: form,
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: assertion,
      }).toString(),
    });
    expect(body.error).toBe("invalid_client");
  });
});

describe("server actions that answer nothing", () => {
  // Run as Next runs a server action's function: inside a request scope, here a route handler's.
  const asRoute = (action: () => Promise<void>): RouteModule => ({
    POST: async () => {
      await action();
      return new Response(null, { status: 204 });
    },
  });

  it("refuse an unauthenticated or unauthorised call with 401 or 403, not 500", async () => {
    expect(
      (
        await refused(
          asRoute(() => revokeGrantAction("grt_x")),
          { method: "POST", url: "/" },
        )
      ).status,
    ).toBe(401);
    const { user } = await seedUser();
    const cookie = await sessionCookieFor(user.id);
    const wrongUser = { method: "POST", url: "/", headers: { cookie } };
    expect(
      (
        await refused(
          asRoute(() => revokeInitialAccessTokenAction("iat_x")),
          wrongUser,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await refused(
          asRoute(() => revokeGrantAction("grt_x")),
          wrongUser,
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await refused(
          asRoute(() => revokeGrantAction("a\u0000b")),
          wrongUser,
        )
      ).status,
    ).toBe(404);
  });
});
