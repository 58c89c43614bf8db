import { expect, test, type APIRequestContext } from "@playwright/test";
import * as oidc from "openid-client";
import { mailText, useSharedSession, withSignInLock } from "../support/sign-in";
import { queryE2e } from "../support/database";
import {
  authorizeInContext,
  createOidcClient,
  postToken,
  relyingParty,
  startAuthorization,
  type CreatedClient,
} from "../support/oidc";
import { demoAccounts } from "@/lib/seed/demo-accounts";
import { defined } from "../../support/defined";

const REDIRECT = "http://localhost:5555/cb";
let a: CreatedClient;
let b: CreatedClient;

test.beforeAll(async () => {
  [a, b] = await Promise.all([
    createOidcClient(["--name", "RP A", "--redirect-uri", REDIRECT]),
    createOidcClient(["--name", "RP B", "--redirect-uri", "http://localhost:5556/cb"]),
  ]);
});

/** A signed-in user's code for client A, with its PKCE verifier. */
async function codeFor(request: APIRequestContext, baseURL: string, extra: Record<string, string> = {}) {
  const config = await relyingParty(baseURL, a);
  const start = await startAuthorization(config, { redirect_uri: REDIRECT, scope: "openid offline_access", ...extra });
  const callback = await authorizeInContext(request, start.url);
  return { config, start, callback, code: defined(callback.searchParams.get("code")) };
}

function authorizeUrl(baseURL: string, params: Record<string, string>): string {
  const u = new URL("/oidc/authorize", baseURL);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.href;
}

const pkce = { code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256" };

test.describe("authorization endpoint", () => {
  test("an unknown client or unregistered redirect URI is an error page, never a redirect", async ({
    request,
    baseURL,
  }) => {
    for (const params of [
      { client_id: "ghc_unknown", redirect_uri: REDIRECT, response_type: "code", scope: "openid", ...pkce },
      {
        client_id: a.client_id,
        redirect_uri: "http://localhost:5555/evil",
        response_type: "code",
        scope: "openid",
        ...pkce,
      },
      { client_id: a.client_id, redirect_uri: `${REDIRECT}/`, response_type: "code", scope: "openid", ...pkce },
    ]) {
      const res = await request.get(authorizeUrl(defined(baseURL), params), { maxRedirects: 0 });
      expect(res.status()).toBe(400);
      expect(res.headers().location).toBeUndefined();
    }
  });

  test("protocol errors go back to the client with the exact code, state and iss", async ({ request, baseURL }) => {
    const cases: [Record<string, string>, string][] = [
      [{ response_type: "code", scope: "openid" }, "invalid_request"], // no PKCE
      [
        { response_type: "code", scope: "openid", code_challenge: pkce.code_challenge, code_challenge_method: "plain" },
        "invalid_request",
      ],
      [{ response_type: "token", scope: "openid", ...pkce }, "unsupported_response_type"],
      [{ response_type: "code", scope: "profile", ...pkce }, "invalid_scope"],
      [{ response_type: "code", scope: "openid tickets:write", ...pkce }, "invalid_scope"],
      [{ response_type: "code", scope: "openid", prompt: "none login", ...pkce }, "invalid_request"],
      [{ response_type: "code", scope: "openid", request: "eyJ.x.y", ...pkce }, "invalid_request_object"],
      [{ response_type: "code", scope: "openid", prompt: "none", ...pkce }, "login_required"],
    ];
    for (const [params, error] of cases) {
      const res = await request.get(
        authorizeUrl(defined(baseURL), { client_id: a.client_id, redirect_uri: REDIRECT, state: "s1", ...params }),
        { maxRedirects: 0 },
      );
      expect(res.status(), JSON.stringify(params)).toBe(303);
      const location = new URL(res.headers().location);
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
      expect(location.searchParams.get("error"), JSON.stringify(params)).toBe(error);
      expect(location.searchParams.get("state")).toBe("s1");
      expect(location.searchParams.get("iss")).toBe(baseURL);
    }
  });

  test("POST is accepted; a signed-out user is sent to sign-in and comes back", async ({ request, baseURL }) => {
    const res = await request.post("/oidc/authorize", {
      form: { client_id: a.client_id, redirect_uri: REDIRECT, response_type: "code", scope: "openid", ...pkce },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(303);
    const location = new URL(res.headers().location);
    expect(location.pathname).toBe("/sign-in");
    expect(location.searchParams.get("callbackUrl")).toMatch(/^\/oidc\/authorize\/resume\?interaction=int_/);
    void baseURL;
  });

  test("prompt=none: consent_required without consent; max_age=0 asks to sign in again; denial is access_denied", async ({
    page,
    baseURL,
  }) => {
    await useSharedSession(page, demoAccounts.members[1].email);
    const none = await page.request.get(
      authorizeUrl(defined(baseURL), {
        client_id: b.client_id,
        redirect_uri: "http://localhost:5556/cb",
        response_type: "code",
        scope: "openid",
        prompt: "none",
        ...pkce,
      }),
      { maxRedirects: 0 },
    );
    expect(new URL(none.headers().location).searchParams.get("error")).toBe("consent_required");

    const maxAge = await page.request.get(
      authorizeUrl(defined(baseURL), {
        client_id: b.client_id,
        redirect_uri: "http://localhost:5556/cb",
        response_type: "code",
        scope: "openid",
        max_age: "0",
        ...pkce,
      }),
      { maxRedirects: 0 },
    );
    expect(new URL(maxAge.headers().location).pathname).toBe("/sign-in");

    const config = await relyingParty(defined(baseURL), b);
    const start = await startAuthorization(config, { redirect_uri: "http://localhost:5556/cb" });
    const denied = await authorizeInContext(page.request, start.url, { consent: "deny" });
    expect(denied.searchParams.get("error")).toBe("access_denied");
    expect(denied.searchParams.get("iss")).toBe(baseURL);
  });
});

test("prompt=login: a signed-in user signs in again, then the flow continues with the new auth_time", async ({
  page,
  baseURL,
}) => {
  const email = demoAccounts.members[2].email;
  await useSharedSession(page, email);
  const config = await relyingParty(defined(baseURL), a);
  const start = await startAuthorization(config, { redirect_uri: REDIRECT, prompt: "login" });
  const toSignIn = await page.request.get(start.url.href, { maxRedirects: 0 });
  const signIn = new URL(toSignIn.headers().location);
  expect(signIn.pathname).toBe("/sign-in");
  expect(signIn.searchParams.get("prompt")).toBe("login");
  // The sign-in page shows its form to the signed-in user instead of passing them through.
  await page.goto(`${signIn.pathname}${signIn.search}`);
  await expect(page).toHaveURL(/\/sign-in\?/);
  // Signed in again through the email-code endpoints (as the form does, with its Origin).
  const origin = { origin: defined(baseURL) };
  // A demo account other tests sign in to as well: no other code for it may be asked for meanwhile.
  await withSignInLock(email, async () => {
    const before = Date.now();
    expect((await page.request.post("/api/auth/email-code", { data: { email }, headers: origin })).status()).toBe(200);
    let code = "";
    for (let i = 0; i < 50 && !code; i++) {
      const rows = await queryE2e<{ sealedContent: string | null; createdAt: Date }>(
        `SELECT "sealedContent", "createdAt" FROM "MailMessage" WHERE "to" = $1 ORDER BY "createdAt" DESC LIMIT 1`,
        [email],
      );
      if (rows[0] && rows[0].createdAt.getTime() >= before - 2000)
        code = mailText(rows[0].sealedContent).match(/\b(\d{6})\b/)?.[1] ?? "";
      else await new Promise((r) => setTimeout(r, 100));
    }
    const { csrfToken } = await (await page.request.get("/api/auth/csrf")).json();
    expect(
      (
        await page.request.post("/api/auth/callback/email-code", {
          form: { email, code, csrfToken, json: "true" },
          headers: origin,
        })
      ).ok(),
    ).toBe(true);
  });
  const callback = await authorizeInContext(
    page.request,
    new URL(defined(signIn.searchParams.get("callbackUrl")), baseURL),
  );
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: start.verifier,
    expectedState: start.state,
    expectedNonce: start.nonce,
  });
  expect(Number(defined(tokens.claims()).auth_time)).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 60);
});

test.describe("token endpoint", () => {
  test("a reused code is invalid_grant and revokes what the first exchange issued", async ({ page, baseURL }) => {
    await useSharedSession(page, demoAccounts.members[2].email);
    const { config, start, callback } = await codeFor(page.request, defined(baseURL));
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: start.verifier,
      expectedState: start.state,
      expectedNonce: start.nonce,
    });
    const again = await postToken(
      page.request,
      {
        grant_type: "authorization_code",
        code: defined(callback.searchParams.get("code")),
        redirect_uri: REDIRECT,
        code_verifier: start.verifier,
      },
      a,
    );
    expect(again.status).toBe(400);
    expect(again.body.error).toBe("invalid_grant");
    expect(again.headers["cache-control"]).toBe("no-store");
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
    expect((await oidc.tokenIntrospection(config, defined(tokens.refresh_token))).active).toBe(false);
  });

  test("PKCE, redirect URI and client binding of the code", async ({ page, baseURL }) => {
    await useSharedSession(page, demoAccounts.finance.email);
    const { start, code } = await codeFor(page.request, defined(baseURL));
    const base = { grant_type: "authorization_code", code, redirect_uri: REDIRECT };
    expect((await postToken(page.request, base, a)).body.error).toBe("invalid_grant"); // no verifier
    expect((await postToken(page.request, { ...base, code_verifier: "x".repeat(43) }, a)).body.error).toBe(
      "invalid_grant",
    );
    expect(
      (
        await postToken(
          page.request,
          { ...base, code_verifier: start.verifier, redirect_uri: "http://localhost:5555/other" },
          a,
        )
      ).body.error,
    ).toBe("invalid_grant");
    expect(
      (
        await postToken(
          page.request,
          { ...base, code_verifier: start.verifier, redirect_uri: "http://localhost:5556/cb" },
          b,
        )
      ).body.error,
    ).toBe("invalid_grant"); // another client's code
    // None of the failures burned the code: the rightful client still redeems it.
    const ok = await postToken(page.request, { ...base, code_verifier: start.verifier }, a);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.headers["cache-control"]).toBe("no-store");
  });

  test("client authentication failures are 401 invalid_client with WWW-Authenticate; other errors per RFC 6749 §5.2", async ({
    request,
  }) => {
    const wrong = await postToken(
      request,
      { grant_type: "client_credentials" },
      { client_id: a.client_id, client_secret: "wrong" },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: "invalid_client", error_description: expect.any(String) });
    expect(wrong.headers["www-authenticate"]).toMatch(/^Basic/);
    expect((await postToken(request, { grant_type: "client_credentials", client_id: a.client_id })).status).toBe(401);
    expect((await postToken(request, { grant_type: "password", username: "x", password: "y" }, a)).body.error).toBe(
      "unsupported_grant_type",
    );
    expect((await postToken(request, { grant_type: "client_credentials" }, a)).body.error).toBe("unauthorized_client");
    expect((await postToken(request, { grant_type: "refresh_token", refresh_token: "nope" }, a)).body.error).toBe(
      "invalid_grant",
    );
    const json = await request.post("/oidc/token", { data: { grant_type: "client_credentials" } });
    expect((await json.json()).error).toBe("invalid_request");
  });

  test("refresh rotation: a concurrent reuse within the grace window succeeds, a late replay revokes the family", async ({
    page,
    baseURL,
  }) => {
    await useSharedSession(page, demoAccounts.admin.email);
    const { config, start, callback } = await codeFor(page.request, defined(baseURL));
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: start.verifier,
      expectedState: start.state,
      expectedNonce: start.nonce,
    });
    const [r1, r2] = await Promise.all([
      oidc.refreshTokenGrant(config, defined(tokens.refresh_token)),
      oidc.refreshTokenGrant(config, defined(tokens.refresh_token)),
    ]);
    expect(r1.access_token).not.toBe(r2.access_token);
    // Move the first use out of the grace window, then replay it.
    await queryE2e(
      `UPDATE "OidcToken" SET "usedAt" = now() - interval '10 minutes' WHERE "kind" = 'refresh' AND "usedAt" IS NOT NULL AND "clientId" = $1`,
      [a.client_id],
    );
    const replay = await postToken(
      page.request,
      { grant_type: "refresh_token", refresh_token: defined(tokens.refresh_token) },
      a,
    );
    expect(replay.body.error).toBe("invalid_grant");
    expect((await oidc.tokenIntrospection(config, defined(r1.refresh_token))).active).toBe(false);
    expect((await oidc.tokenIntrospection(config, r2.access_token)).active).toBe(false);
  });
});

test.describe("userinfo and logout", () => {
  test("userinfo refuses missing, tampered and revoked tokens with 401 and WWW-Authenticate", async ({ request }) => {
    const none = await request.get("/oidc/userinfo");
    expect(none.status()).toBe(401);
    expect(none.headers()["www-authenticate"]).toContain('error="invalid_token"');
    const tampered = await request.get("/oidc/userinfo", {
      headers: { authorization: "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln" },
    });
    expect((await tampered.json()).error).toBe("invalid_token");
  });

  test("a tampered id_token_hint or an unregistered post_logout_redirect_uri is refused", async ({ page, baseURL }) => {
    await useSharedSession(page, demoAccounts.theaterAdmin.email);
    const { config, start, callback } = await codeFor(page.request, defined(baseURL));
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: start.verifier,
      expectedState: start.state,
      expectedNonce: start.nonce,
    });
    const [h, p, s] = defined(tokens.id_token).split(".");
    const claims = JSON.parse(Buffer.from(p, "base64url").toString());
    const forged = [
      h,
      Buffer.from(JSON.stringify({ ...claims, sub: "usr_someone_else" })).toString("base64url"),
      s,
    ].join(".");
    const tampered = await page.request.get(`/oidc/end-session?id_token_hint=${forged}`, { maxRedirects: 0 });
    expect(tampered.status()).toBe(400);
    expect(await tampered.text()).toContain(">invalid_request<");
    const badUri = await page.request.get(
      `/oidc/end-session?id_token_hint=${tokens.id_token}&post_logout_redirect_uri=${encodeURIComponent("https://evil.example/")}`,
      { maxRedirects: 0 },
    );
    expect(badUri.status()).toBe(400);
    expect(badUri.headers().location).toBeUndefined();
    // Without a hint, the user is asked first: still signed in.
    const ask = await page.request.get("/oidc/end-session", { maxRedirects: 0 });
    expect(await ask.text()).toContain("confirm-logout");
    expect((await (await page.request.get("/api/auth/session")).json())?.user?.email).toBe(
      demoAccounts.theaterAdmin.email,
    );
  });
});
