import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { db } from "@/lib/db/client";
import { createClient } from "@/lib/oidc/clients/create-client";
import { recordConsent } from "@/lib/oidc/grants/record-consent";
import { issueAuthorizationCode } from "@/lib/oidc/authorize/issue-authorization-code";
import { handleTokenRequest } from "@/lib/oidc/tokens/handle-token-request";
import { getUserinfo } from "@/lib/oidc/get-userinfo";
import { oidcJwks } from "@/lib/oidc/signing";
import { parseAuthorizationRequest } from "@/lib/oidc/authorize/authorization-request";
import { seedOrg, seedPasskeySession } from "../../support/factories";
import { defined } from "../../support/defined";

const ISSUER = "http://localhost:3999";
const REDIRECT = "http://localhost:5555/cb";

async function codeFor(clientId: string, userId: string, scopes: string[]) {
  const verifier = crypto.randomBytes(32).toString("base64url");
  const grant = await db().$transaction((tx) => recordConsent(tx, { userId, clientId, scopes }));
  const session = await seedPasskeySession(userId);
  const code = await issueAuthorizationCode({
    request: {
      clientId,
      redirectUri: REDIRECT,
      responseMode: "query",
      scopes,
      codeChallenge: crypto.createHash("sha256").update(verifier).digest("base64url"),
      prompt: [],
      nonce: "n-1",
    },
    userId,
    grantId: grant.id,
    sessionId: session.id,
    authTime: session.authTime,
    authMethod: "passkey",
  });
  return { code, verifier };
}

const tokenRequest = (params: Record<string, string>) =>
  handleTokenRequest(new Request(`${ISSUER}/oidc/token`, { method: "POST" }), params);

describe("authorization request parameters", () => {
  it("takes ui_locales and claims_locales without acting on them, and keeps login_hint", async () => {
    const { client } = await db().$transaction((tx) =>
      createClient(tx, {
        metadata: { name: "Localized RP", redirectUris: [REDIRECT], tokenEndpointAuthMethod: "none" },
        hostOrgId: null,
        status: "approved",
        actor: { type: "system", id: "test" },
        via: "cli",
      }),
    );
    const base = {
      client_id: client.id,
      redirect_uri: REDIRECT,
      response_type: "code",
      scope: "openid",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
      state: "s-1",
      login_hint: "member1@guildhall.test",
    };
    const plain = await parseAuthorizationRequest(base);
    const localized = await parseAuthorizationRequest({ ...base, ui_locales: "fr-CA fr en", claims_locales: "de" });
    expect(localized.request).toEqual(plain.request);
    expect(localized.request).toMatchObject({
      clientId: client.id,
      scopes: ["openid"],
      state: "s-1",
      loginHint: "member1@guildhall.test",
    });
  });
});

describe("code exchange by client authentication method", () => {
  it("a public client (none) redeems with PKCE alone and gets an ES256 ID token when registered so; userinfo carries the memberships", async () => {
    const { org, admin } = await seedOrg({ kind: "HOST" });
    const { client } = await db().$transaction((tx) =>
      createClient(tx, {
        metadata: {
          name: "SPA",
          redirectUris: [REDIRECT],
          tokenEndpointAuthMethod: "none",
          idTokenSignedResponseAlg: "ES256",
          scopes: ["openid", "email", "memberships"],
        },
        hostOrgId: org.id,
        status: "approved",
        actor: { type: "system", id: "test" },
        via: "cli",
      }),
    );
    const { code, verifier } = await codeFor(client.id, admin.id, ["openid", "email", "memberships"]);
    const tokens = await tokenRequest({
      grant_type: "authorization_code",
      client_id: client.id,
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    expect(tokens.refresh_token).toBeUndefined();
    expect(decodeProtectedHeader(String(tokens.id_token)).alg).toBe("ES256");
    const { payload } = await jwtVerify(String(tokens.id_token), createLocalJWKSet(await oidcJwks()), {
      issuer: ISSUER,
      audience: client.id,
    });
    expect(payload).toMatchObject({ sub: admin.id, nonce: "n-1", amr: ["hwk", "user"], acr: "phr" });
    const info = await getUserinfo(String(tokens.access_token));
    expect(info).toMatchObject({
      sub: admin.id,
      email: admin.email,
      hosts: [{ id: org.id, slug: org.slug, role: "HOST_OPERATOR" }],
      theaters: [],
    });
    // A public client cannot authenticate with a secret it does not have, nor can a confidential client skip its secret.
    await expect(
      tokenRequest({
        grant_type: "authorization_code",
        client_id: client.id,
        client_secret: "x",
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      }),
    ).rejects.toMatchObject({ error: "invalid_client" });
  });

  it("client_secret_post works only for clients registered with it", async () => {
    const { admin } = await seedOrg({ kind: "THEATER" });
    const { client, secret } = await db().$transaction((tx) =>
      createClient(tx, {
        metadata: { name: "Post", redirectUris: [REDIRECT], tokenEndpointAuthMethod: "client_secret_post" },
        hostOrgId: null,
        status: "approved",
        actor: { type: "system", id: "test" },
        via: "cli",
      }),
    );
    const { code, verifier } = await codeFor(client.id, admin.id, ["openid"]);
    const basic = `Basic ${Buffer.from(`${client.id}:${secret}`).toString("base64")}`;
    await expect(
      handleTokenRequest(new Request(`${ISSUER}/oidc/token`, { method: "POST", headers: { authorization: basic } }), {
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      }),
    ).rejects.toMatchObject({ error: "invalid_client" });
    const tokens = await tokenRequest({
      grant_type: "authorization_code",
      client_id: client.id,
      client_secret: defined(secret),
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    expect(decodeProtectedHeader(String(tokens.id_token)).alg).toBe("RS256");
  });
});
