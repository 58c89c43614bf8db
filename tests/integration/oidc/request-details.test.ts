import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { SignJWT, decodeJwt, exportJWK, generateKeyPair } from "jose";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { log } from "@/lib/log";
import { createClient } from "@/lib/oidc/clients/create-client";
import { recordConsent } from "@/lib/oidc/grants/record-consent";
import { parseAuthorizationRequest, RedirectableError } from "@/lib/oidc/authorize/authorization-request";
import { runAuthorization } from "@/lib/oidc/authorize/run-authorization";
import { ensureOidcSigningKeys, signOidcJwt } from "@/lib/oidc/signing";
import { issueInitialAccessToken } from "@/lib/oidc/clients/initial-access-tokens";
import { registerClientDynamically } from "@/lib/oidc/clients/register-client-dynamically";
import { readClientMetadataBody } from "@/lib/oidc/http/read-client-metadata-body";
import { handleTokenRequest } from "@/lib/oidc/tokens/handle-token-request";
import { POST as tokenEndpoint } from "@/lib/oidc/http/token-endpoint";
import { servePlainAnswerLikeNext } from "@/lib/http/serve-plain-answer-like-next";
import { createSession, findSessionByToken } from "@/lib/auth/sessions";
import { seedOrg, seedUser } from "../../support/factories";
import { registerPrivateKeyJwtClient } from "../../support/oidc-clients";

const ISSUER = "http://localhost:3999";
// Test setup, not what is tested: a busy machine must not fail it on Prisma's 5 s transaction timeout.
const SETUP_TX = { timeout: 30_000, maxWait: 30_000 };
const REDIRECT = "http://localhost:5555/cb";
const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

// Making the signing keys (an RSA key pair) takes seconds on a busy machine: once, before the tests' clocks start.
beforeAll(() => ensureOidcSigningKeys());

async function oauthError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RedirectableError) return e.cause.error;
    return (e as { error: string }).error;
  }
  throw new Error("expected an OAuth error");
}

async function publicClient(scopes = ["openid", "email"]) {
  const { client } = await db().$transaction(
    (tx) =>
      createClient(tx, {
        metadata: { name: "Hinted RP", redirectUris: [REDIRECT], tokenEndpointAuthMethod: "none", scopes },
        hostOrgId: null,
        status: "approved",
        actor: { type: "system", id: "test" },
        via: "cli",
      }),
    SETUP_TX,
  );
  return client;
}

async function signedInWithConsent(clientId: string) {
  const { user } = await seedUser();
  await db().$transaction(
    (tx) => recordConsent(tx, { userId: user.id, clientId, scopes: ["openid", "email"] }),
    SETUP_TX,
  );
  const token = await createSession({ userId: user.id, authMethod: "passkey" });
  const session = await findSessionByToken(token);
  if (!session) throw new Error("no session");
  return { user, session };
}

const idToken = (clientId: string, sub: string, expiresInSeconds = 600) => {
  const now = Math.floor(Date.now() / 1000);
  return signOidcJwt(
    { iss: ISSUER, sub, aud: clientId, iat: now - 1200, exp: now + expiresInSeconds, auth_time: now - 1200 },
    { alg: "RS256", typ: "JWT" },
  );
};

function authorizeParams(clientId: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    client_id: clientId,
    redirect_uri: REDIRECT,
    response_type: "code",
    scope: "openid email",
    code_challenge: CHALLENGE,
    code_challenge_method: "S256",
    state: "s-1",
    ...extra,
  };
}

async function authorize(params: Record<string, string>, session: Awaited<ReturnType<typeof findSessionByToken>>) {
  const { request } = await parseAuthorizationRequest(params);
  const response = await runAuthorization({ state: { request }, session });
  return new URL(response.headers.get("location") ?? "about:blank");
}

describe("id_token_hint (OIDC Core §3.1.2.1)", () => {
  it("gives a code only to the user the hint names; another user gets login_required or the sign-in page", async () => {
    const client = await publicClient();
    const ada = await signedInWithConsent(client.id);
    const bob = await signedInWithConsent(client.id);
    const hintForAda = await idToken(client.id, ada.user.id);

    const silentAsBob = await authorize(
      authorizeParams(client.id, { prompt: "none", id_token_hint: hintForAda }),
      bob.session,
    );
    expect(silentAsBob.searchParams.get("error")).toBe("login_required");
    expect(silentAsBob.searchParams.get("code")).toBeNull();

    const interactiveAsBob = await authorize(authorizeParams(client.id, { id_token_hint: hintForAda }), bob.session);
    expect(interactiveAsBob.pathname).toBe("/sign-in");

    const asAda = await authorize(
      authorizeParams(client.id, { prompt: "none", id_token_hint: hintForAda }),
      ada.session,
    );
    expect(asAda.searchParams.get("code")).toBeTruthy();

    // An expired ID token still names its user: it is a hint, not a credential.
    const expiredHint = await idToken(client.id, ada.user.id, -600);
    const withExpired = await authorize(
      authorizeParams(client.id, { prompt: "none", id_token_hint: expiredHint }),
      ada.session,
    );
    expect(withExpired.searchParams.get("code")).toBeTruthy();
  });

  it("refuses garbage, a token of another client and one we did not sign, as invalid_request", async () => {
    const client = await publicClient();
    const other = await publicClient();
    const { user } = await seedUser();
    expect(await oauthError(parseAuthorizationRequest(authorizeParams(client.id, { id_token_hint: "garbage" })))).toBe(
      "invalid_request",
    );
    const forOther = await idToken(other.id, user.id);
    expect(await oauthError(parseAuthorizationRequest(authorizeParams(client.id, { id_token_hint: forOther })))).toBe(
      "invalid_request",
    );
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT({ sub: user.id, aud: client.id, iss: ISSUER })
      .setProtectedHeader({ alg: "RS256" })
      .setExpirationTime("5m")
      .sign(privateKey);
    expect(await oauthError(parseAuthorizationRequest(authorizeParams(client.id, { id_token_hint: forged })))).toBe(
      "invalid_request",
    );
  });
});

describe("scopes (OIDC Core §5.4)", () => {
  it("ignores scopes it does not know, and still refuses known ones the client did not register", async () => {
    const client = await publicClient();
    const { request } = await parseAuthorizationRequest(
      authorizeParams(client.id, { scope: "openid address phone email" }),
    );
    expect(request.scopes).toEqual(["openid", "email"]);
    expect(await oauthError(parseAuthorizationRequest(authorizeParams(client.id, { scope: "openid roles" })))).toBe(
      "invalid_scope",
    );
    expect(
      await oauthError(parseAuthorizationRequest(authorizeParams(client.id, { scope: "openid tickets:write" }))),
    ).toBe("invalid_scope");
  });
});

describe("the claims parameter (OIDC Core §5.5)", () => {
  // Discovery says claims_parameter_supported false: a request carrying one is served as if it had none (Core §3.1.2.1:
  // a parameter not understood is ignored), whatever it asks for and however it is written; scopes decide the claims.
  it("is ignored: the code is issued and the ID token holds only what the scopes grant", async () => {
    const client = await publicClient();
    const { user, session } = await signedInWithConsent(client.id);
    for (const claims of [
      JSON.stringify({ id_token: { email: { essential: true } }, userinfo: { name: null, phone_number: null } }),
      "{not json",
      "[]",
    ]) {
      const params = authorizeParams(client.id, { scope: "openid", claims });
      const answer = await authorize(params, session);
      const code = answer.searchParams.get("code");
      expect([code !== null, answer.searchParams.get("error"), answer.searchParams.get("state")]).toEqual([
        true,
        null,
        "s-1",
      ]);
      const tokens = await handleTokenRequest(new Request(`${ISSUER}/oidc/token`, { method: "POST" }), {
        grant_type: "authorization_code",
        client_id: client.id,
        code: String(code),
        redirect_uri: REDIRECT,
        code_verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
      });
      const idTokenClaims = decodeJwt(String(tokens.id_token));
      expect(idTokenClaims.sub).toBe(user.id);
      expect(idTokenClaims).not.toHaveProperty("email");
      expect(tokens.scope).toBe("openid");
    }
  });
});

describe("client assertions (RFC 7523)", () => {
  it("refuses a jti that is not a string, an exp far in the future, and a replay", async () => {
    const { client, privateKey } = await registerPrivateKeyJwtClient();
    const now = Math.floor(Date.now() / 1000);
    const assertion = (claims: Record<string, unknown>) =>
      new SignJWT({
        iss: client.client_id,
        sub: client.client_id,
        aud: `${ISSUER}/oidc/token`,
        iat: now,
        exp: now + 120,
        ...claims,
      })
        .setProtectedHeader({ alg: "ES256", kid: "k1" })
        .sign(privateKey);
    const request = async (claims: Record<string, unknown>) =>
      handleTokenRequest(new Request(`${ISSUER}/oidc/token`, { method: "POST" }), {
        grant_type: "client_credentials",
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: await assertion(claims),
      });
    const before = await db().oidcClientAssertion.count();
    expect(await oauthError(request({ jti: { a: 1 } }))).toBe("invalid_client");
    expect(await oauthError(request({ jti: 42 }))).toBe("invalid_client");
    expect(await oauthError(request({ jti: "" }))).toBe("invalid_client");
    expect(await oauthError(request({ jti: newId("j"), exp: 1e20 }))).toBe("invalid_client");
    expect(await db().oidcClientAssertion.count()).toBe(before);

    const jti = newId("j");
    expect((await request({ jti })).scope).toBe("tickets:write");
    expect(await oauthError(request({ jti }))).toBe("invalid_client");
  });
});

describe("dynamic registration's body and keys (RFC 7591 §3.1, §2)", () => {
  const bodyRequest = (type: string, body: string) => ({
    method: "POST",
    url: `${ISSUER}/oidc/register`,
    headers: new Headers({ "content-type": type }),
    text: async () => body,
  });

  it("reads only a JSON object sent as application/json", async () => {
    const metadata = JSON.stringify({ redirect_uris: [REDIRECT] });
    expect(await oauthError(readClientMetadataBody(bodyRequest("text/plain", metadata)))).toBe(
      "invalid_client_metadata",
    );
    expect(await oauthError(readClientMetadataBody(bodyRequest("application/x-www-form-urlencoded", metadata)))).toBe(
      "invalid_client_metadata",
    );
    expect(await oauthError(readClientMetadataBody(bodyRequest("application/json", "[1]")))).toBe(
      "invalid_client_metadata",
    );
    expect(await readClientMetadataBody(bodyRequest("application/json; charset=utf-8", metadata))).toEqual({
      redirect_uris: [REDIRECT],
    });
  });

  it("refuses symmetric, private and malformed keys, and takes a good public key", async () => {
    const { org } = await seedOrg({ kind: "HOST" });
    const { user: admin } = await seedUser({ roles: ["ORG_ADMIN"] });
    const iat = await issueInitialAccessToken({ actor: { type: "user", id: admin.id }, hostOrgId: org.id, ttlDays: 1 });
    const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
    const goodKey = { ...(await exportJWK(publicKey)), kid: "k1" };
    const register = (keys: Record<string, unknown>[]) =>
      registerClientDynamically(iat.token, {
        grant_types: ["client_credentials"],
        scope: "tickets:write",
        token_endpoint_auth_method: "private_key_jwt",
        jwks: { keys },
      });
    const before = await db().oidcClient.count();
    expect(await oauthError(register([{ kty: "oct", k: "c2VjcmV0LXNlY3JldC1zZWNyZXQ", alg: "HS256" }]))).toBe(
      "invalid_client_metadata",
    );
    expect(await oauthError(register([await exportJWK(privateKey)]))).toBe("invalid_client_metadata");
    expect(await oauthError(register([{ kty: "RSA", n: "not-a-modulus!", e: "AQAB" }]))).toBe(
      "invalid_client_metadata",
    );
    expect(await oauthError(register([{ kty: "RSA", n: "AQAB", e: "AQAB" }]))).toBe("invalid_client_metadata");
    expect(await oauthError(register([{ ...goodKey, x: "AAAA" }]))).toBe("invalid_client_metadata");
    expect(await oauthError(register([{ ...goodKey, alg: "RS256" }]))).toBe("invalid_client_metadata");
    expect(await oauthError(register([{ ...goodKey, use: "enc" }]))).toBe("invalid_client_metadata");
    expect(await db().oidcClient.count()).toBe(before);
    expect((await register([goodKey])).client_id).toMatch(/^ghc_/);
  });
});

describe("a client that hangs up mid-request", () => {
  afterEach(() => vi.restoreAllMocks());

  it("is logged as information, not as an error", async () => {
    const errors = vi.spyOn(log, "error");
    const infos = vi.spyOn(log, "info");
    let served!: Promise<void>;
    const server = http.createServer((req, res) => {
      served = servePlainAnswerLikeNext(req, res, tokenEndpoint, ISSUER);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const { port } = server.address() as AddressInfo;
      const client = http.request({
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/oidc/token",
        headers: { "content-type": "application/x-www-form-urlencoded", "content-length": "1000" },
      });
      client.on("error", () => undefined);
      client.write("grant_type=client_cre");
      await vi.waitFor(() => expect(served).toBeDefined());
      client.destroy();
      await served;
      expect(errors).not.toHaveBeenCalled();
      expect(infos).toHaveBeenCalledWith(expect.anything(), "client went away before its request was read");
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
