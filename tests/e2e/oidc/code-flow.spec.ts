import { expect, test } from "@playwright/test";
import * as oidc from "openid-client";
import { createLocalJWKSet, decodeJwt, jwtVerify } from "jose";
import crypto from "node:crypto";
import { signInWithEmailCode, useSharedSession } from "../support/sign-in";
import {
  authorizeInContext,
  createOidcClient,
  relyingParty,
  startAuthorization,
  type CreatedClient,
} from "../support/oidc";
import { demoAccounts } from "@/lib/seed/demo-accounts";
import { defined } from "../../support/defined";

const REDIRECT = "http://localhost:5555/cb";
const LOGOUT = "http://localhost:5555/signed-out";
let web: CreatedClient;

test.beforeAll(async () => {
  web = await createOidcClient([
    "--name",
    "Code flow RP",
    "--redirect-uri",
    REDIRECT,
    "--logout-uri",
    LOGOUT,
    "--scope",
    "roles memberships",
  ]);
});

test("discovery and JWKS are correct and cacheable", async ({ request, baseURL }) => {
  const res = await request.get("/.well-known/openid-configuration");
  expect(res.headers()["cache-control"]).toContain("max-age=");
  const meta = await res.json();
  expect(meta.issuer).toBe(baseURL);
  for (const key of [
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "jwks_uri",
    "end_session_endpoint",
    "introspection_endpoint",
    "revocation_endpoint",
    "registration_endpoint",
  ]) {
    expect(meta[key].startsWith(`${baseURL}/`), key).toBe(true);
  }
  expect(meta.id_token_signing_alg_values_supported).toEqual(["RS256", "ES256"]);
  expect(meta.code_challenge_methods_supported).toEqual(["S256"]);
  expect(meta.authorization_response_iss_parameter_supported).toBe(true);
  const jwksRes = await request.get(new URL(meta.jwks_uri).pathname);
  expect(jwksRes.headers()["cache-control"]).toContain("max-age=");
  const jwks = await jwksRes.json();
  expect(new Set(jwks.keys.map((k: { alg: string }) => k.alg))).toEqual(new Set(["RS256", "ES256"]));
  for (const k of jwks.keys) expect(k.d).toBeUndefined();
});

test("code flow with PKCE, userinfo, refresh, introspection, revocation and logout through openid-client", async ({
  page,
  baseURL,
}) => {
  const email = demoAccounts.hostOperator.email;
  // A session of its own: the logout below ends it.
  await signInWithEmailCode(page, email);
  const config = await relyingParty(defined(baseURL), web);
  const start = await startAuthorization(config, {
    redirect_uri: REDIRECT,
    scope: "openid profile email offline_access roles memberships",
  });
  const callback = await authorizeInContext(page.request, start.url);
  expect(callback.searchParams.get("iss")).toBe(baseURL);

  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: start.verifier,
    expectedState: start.state,
    expectedNonce: start.nonce,
    idTokenExpected: true,
  });
  const claims = defined(tokens.claims());
  expect(claims.iss).toBe(baseURL);
  expect(claims.amr).toEqual(["otp"]);
  expect(typeof claims.auth_time).toBe("number");
  expect(claims.iat).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 5);
  // What openid-client leaves unchecked: at_hash.
  const digest = crypto.createHash("sha256").update(tokens.access_token).digest();
  expect(claims.at_hash).toBe(digest.subarray(0, 16).toString("base64url"));
  expect(tokens.refresh_token).toBeTruthy();

  const jwks = createLocalJWKSet(await (await page.request.get("/oidc/jwks")).json());
  const { protectedHeader, payload: at } = await jwtVerify(tokens.access_token, jwks, {
    issuer: baseURL,
    audience: baseURL,
    typ: "at+jwt",
  });
  expect(protectedHeader.kid).toBeTruthy();
  expect(at.client_id).toBe(web.client_id);

  const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
  expect(info.email).toBe(email);
  expect(info.hosts).toEqual([expect.objectContaining({ slug: demoAccounts.host.slug, role: "HOST_OPERATOR" })]);
  expect(info.roles).toEqual([]);

  const introspected = await oidc.tokenIntrospection(config, tokens.access_token);
  expect(introspected).toMatchObject({ active: true, client_id: web.client_id, sub: claims.sub, token_type: "Bearer" });

  const refreshed = await oidc.refreshTokenGrant(config, defined(tokens.refresh_token));
  expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
  expect(defined(refreshed.claims()).sub).toBe(claims.sub);
  expect(defined(refreshed.claims()).auth_time).toBe(claims.auth_time);

  await oidc.tokenRevocation(config, defined(refreshed.refresh_token));
  expect((await oidc.tokenIntrospection(config, defined(refreshed.refresh_token))).active).toBe(false);
  expect((await oidc.tokenIntrospection(config, refreshed.access_token)).active).toBe(false);

  const logoutUrl = oidc.buildEndSessionUrl(config, {
    id_token_hint: defined(tokens.id_token),
    post_logout_redirect_uri: LOGOUT,
    state: "bye",
  });
  const out = await page.request.get(logoutUrl.href, { maxRedirects: 0 });
  expect(out.status()).toBe(303);
  expect(out.headers().location).toBe(`${LOGOUT}?state=bye`);
  expect((await (await page.request.get("/api/auth/session")).json())?.user).toBeUndefined();
  // The session's access tokens ended with it.
  expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
});

test("form_post response mode carries code, state and iss", async ({ page, baseURL }) => {
  await useSharedSession(page, demoAccounts.members[0].email);
  const config = await relyingParty(defined(baseURL), web);
  const start = await startAuthorization(config, { redirect_uri: REDIRECT, response_mode: "form_post" });
  const consent = await page.request.get(start.url.href, { maxRedirects: 0 });
  const interaction = new URL(consent.headers().location).pathname;
  const res = await page.request.post(`${interaction}/decision`, {
    form: { action: "allow" },
    headers: { origin: defined(baseURL) },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(200);
  const html = await res.text();
  expect(html).toContain(`action="${REDIRECT}"`);
  expect(html).toMatch(/name="code" value="[A-Za-z0-9_-]{43}"/);
  expect(html).toContain(`name="state" value="${start.state}"`);
  expect(html).toContain(`name="iss" value="${baseURL}"`);
  void decodeJwt;
});
