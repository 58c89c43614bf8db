import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { calculateJwkThumbprint, decodeJwt, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { db } from "@/lib/db/client";
import { sha256Hex } from "@/lib/crypto/hash";
import { createClient } from "@/lib/oidc/clients/create-client";
import { recordConsent } from "@/lib/oidc/grants/record-consent";
import { issueAuthorizationCode } from "@/lib/oidc/authorize/issue-authorization-code";
import { ensureOidcSigningKeys } from "@/lib/oidc/signing";
import { verifyAccessToken } from "@/lib/oidc/verify-access-token";
import { introspectToken } from "@/lib/oidc/tokens/introspect-token";
import { discoveryDocument } from "@/lib/oidc/discovery";
import { POST as tokenEndpoint } from "@/lib/oidc/http/token-endpoint";
import { GET as userinfoEndpoint } from "@/lib/oidc/http/userinfo-endpoint";
import { seedUser, seedPasskeySession } from "../../support/factories";

// Sender-constrained tokens (RFC 9449): proofs at the token endpoint and at userinfo.
const ISSUER = "http://localhost:3999";
const TOKEN_URL = `${ISSUER}/oidc/token`;
const USERINFO_URL = `${ISSUER}/oidc/userinfo`;
// Test setup, not what is tested: a busy machine must not fail it on Prisma's 5 s transaction timeout.
const SETUP_TX = { timeout: 30_000, maxWait: 30_000 };
const REDIRECT = "http://localhost:5555/cb";

type Holder = { privateKey: CryptoKey; jwk: JWK; jkt: string };
let holder: Holder;
let thief: Holder;

async function keyHolder(): Promise<Holder> {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { privateKey, jwk, jkt: await calculateJwkThumbprint(jwk, "sha256") };
}

beforeAll(async () => {
  await ensureOidcSigningKeys();
  [holder, thief] = await Promise.all([keyHolder(), keyHolder()]);
});

function proof(
  by: Holder,
  claims: { htm?: string; htu?: string; ath?: string; iat?: number; jti?: string } = {},
  header: Record<string, unknown> = {},
) {
  return new SignJWT({
    htm: claims.htm ?? "POST",
    htu: claims.htu ?? TOKEN_URL,
    ...(claims.ath ? { ath: claims.ath } : {}),
  })
    .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: by.jwk, ...header })
    .setIssuedAt(claims.iat ?? Math.floor(Date.now() / 1000))
    .setJti(claims.jti ?? crypto.randomUUID())
    .sign(by.privateKey);
}

/** A proof with alg "none" (RFC 9449 §4.3: it must be signed, with an asymmetric algorithm). */
function unsignedProof(by: Holder) {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: "none", typ: "dpop+jwt", jwk: by.jwk })}.${part({ htm: "POST", htu: TOKEN_URL, iat: now, jti: crypto.randomUUID() })}.`;
}

/** A proof signed with a shared secret, its key in the header for anyone to read. */
async function symmetricProof() {
  const secret = crypto.randomBytes(32);
  return new SignJWT({ htm: "POST", htu: TOKEN_URL })
    .setProtectedHeader({
      alg: "HS256",
      typ: "dpop+jwt",
      jwk: { kty: "oct", k: secret.toString("base64url") } as unknown as { kty: string },
    })
    .setIssuedAt()
    .setJti(crypto.randomUUID())
    .sign(secret);
}

const ath = (token: string) => crypto.createHash("sha256").update(token).digest("base64url");

async function tokenCall(params: Record<string, string>, headers: Record<string, string> = {}) {
  const answer = await tokenEndpoint.answer({
    method: "POST",
    url: TOKEN_URL,
    headers: new Headers({ "content-type": "application/x-www-form-urlencoded", ...headers }),
    text: async () => new URLSearchParams(params).toString(),
  });
  return { status: answer.status, body: JSON.parse(answer.body) as Record<string, string> };
}

async function userinfoCall(headers: Record<string, string>) {
  const answer = await userinfoEndpoint.answer({
    method: "GET",
    url: USERINFO_URL,
    headers: new Headers(headers),
    text: async () => "",
  });
  return { status: answer.status, body: JSON.parse(answer.body), challenge: answer.headers["www-authenticate"] };
}

async function client(metadata: Record<string, unknown>) {
  return db().$transaction(
    (tx) =>
      createClient(tx, {
        metadata: { name: "DPoP RP", redirectUris: [REDIRECT], ...metadata },
        hostOrgId: null,
        status: "approved",
        actor: { type: "system", id: "test" },
        via: "cli",
      }),
    SETUP_TX,
  );
}

async function codeFor(clientId: string, scopes: string[], dpopJkt?: string) {
  const { user } = await seedUser();
  const verifier = crypto.randomBytes(32).toString("base64url");
  const grant = await db().$transaction((tx) => recordConsent(tx, { userId: user.id, clientId, scopes }), SETUP_TX);
  const session = await seedPasskeySession(user.id);
  const code = await issueAuthorizationCode({
    request: {
      clientId,
      redirectUri: REDIRECT,
      responseMode: "query",
      scopes,
      codeChallenge: crypto.createHash("sha256").update(verifier).digest("base64url"),
      prompt: [],
      ...(dpopJkt ? { dpopJkt } : {}),
    },
    userId: user.id,
    grantId: grant.id,
    sessionId: session.id,
    authTime: session.authTime,
    authMethod: "passkey",
  });
  return {
    user,
    exchange: {
      grant_type: "authorization_code",
      client_id: clientId,
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    },
  };
}

describe("DPoP (RFC 9449)", () => {
  it("binds a public client's tokens to its key; a stolen access or refresh token is refused without a proof by that key", async () => {
    expect(discoveryDocument().dpop_signing_alg_values_supported).toEqual(expect.arrayContaining(["ES256", "RS256"]));
    const { client: spa } = await client({
      tokenEndpointAuthMethod: "none",
      grantTypes: ["authorization_code", "refresh_token"],
      scopes: ["openid", "email", "offline_access"],
    });
    const { user, exchange } = await codeFor(spa.id, ["openid", "email", "offline_access"]);
    const tokens = await tokenCall(exchange, { dpop: await proof(holder) });
    expect(tokens.status).toBe(200);
    expect(tokens.body.token_type).toBe("DPoP");
    expect(decodeJwt(tokens.body.access_token).cnf).toEqual({ jkt: holder.jkt });
    const access = tokens.body.access_token;

    // Stolen: presented as a bearer token, or with the DPoP scheme but no proof, a proof by another key or for another token.
    const asBearer = await userinfoCall({ authorization: `Bearer ${access}` });
    expect([asBearer.status, asBearer.body.error]).toEqual([401, "invalid_token"]);
    expect(asBearer.challenge).toMatch(/^DPoP /);
    // RFC 9449 §7.1: the challenge names the algorithms a proof may use.
    expect(asBearer.challenge).toContain('algs="ES256 ES384 PS256 RS256 EdDSA"');
    await expect(verifyAccessToken(access)).rejects.toMatchObject({ error: "invalid_token" });
    const noProof = await userinfoCall({ authorization: `DPoP ${access}` });
    expect([noProof.status, noProof.body.error]).toEqual([401, "invalid_dpop_proof"]);
    const byThief = await userinfoCall({
      authorization: `DPoP ${access}`,
      dpop: await proof(thief, { htm: "GET", htu: USERINFO_URL, ath: ath(access) }),
    });
    expect([byThief.status, byThief.body.error]).toEqual([401, "invalid_token"]);
    for (const bad of [
      await proof(holder, { htm: "GET", htu: USERINFO_URL, ath: ath("another token") }),
      await proof(holder, { htm: "POST", htu: USERINFO_URL, ath: ath(access) }),
      await proof(holder, { htm: "GET", htu: TOKEN_URL, ath: ath(access) }),
      await proof(holder, { htm: "GET", htu: USERINFO_URL }),
    ]) {
      const refused = await userinfoCall({ authorization: `DPoP ${access}`, dpop: bad });
      expect([refused.status, refused.body.error]).toEqual([401, "invalid_dpop_proof"]);
    }

    const good = await proof(holder, { htm: "GET", htu: `${USERINFO_URL}?x=1`, ath: ath(access) });
    const info = await userinfoCall({ authorization: `DPoP ${access}`, dpop: good });
    expect([info.status, info.body.email]).toEqual([200, user.email]);
    const replayed = await userinfoCall({ authorization: `DPoP ${access}`, dpop: good });
    expect([replayed.status, replayed.body.error]).toEqual([401, "invalid_dpop_proof"]);
    const introspected = await introspectToken(spa, access);
    expect(introspected).toMatchObject({ active: true, token_type: "DPoP", cnf: { jkt: holder.jkt } });

    // The refresh token of a public client is bound too.
    const refresh = { grant_type: "refresh_token", client_id: spa.id, refresh_token: tokens.body.refresh_token };
    const stolenRefresh = await tokenCall(refresh);
    expect([stolenRefresh.status, stolenRefresh.body.error]).toEqual([400, "invalid_dpop_proof"]);
    const thiefRefresh = await tokenCall(refresh, { dpop: await proof(thief) });
    expect([thiefRefresh.status, thiefRefresh.body.error]).toEqual([400, "invalid_grant"]);
    const refreshed = await tokenCall(refresh, { dpop: await proof(holder) });
    expect([refreshed.status, refreshed.body.token_type]).toEqual([200, "DPoP"]);
    expect(
      (await db().oidcToken.findUniqueOrThrow({ where: { tokenHash: sha256Hex(refreshed.body.refresh_token) } }))
        .dpopJkt,
    ).toBe(holder.jkt);
  });

  it("refuses a malformed, replayed, misdirected, stale or private-key proof at the token endpoint, and honours dpop_jkt and dpop_bound_access_tokens", async () => {
    const { client: service, secret } = await client({
      grantTypes: ["client_credentials"],
      scopes: ["tickets:read"],
      redirectUris: [],
    });
    const basic = { authorization: `Basic ${Buffer.from(`${service.id}:${secret}`).toString("base64")}` };
    const cc = { grant_type: "client_credentials" };
    const { d: _d, ...publicOnly } = await exportJWK(
      (await generateKeyPair("ES256", { extractable: true })).privateKey,
    );
    void _d;
    const privateJwk = await exportJWK((await generateKeyPair("ES256", { extractable: true })).privateKey);
    const replay = await proof(holder);
    expect((await tokenCall(cc, { ...basic, dpop: replay })).body.token_type).toBe("DPoP");
    const bad = [
      replay,
      "not.a.jwt",
      await proof(holder, { htu: `${ISSUER}/oidc/userinfo` }),
      await proof(holder, { htu: "https://elsewhere.example/oidc/token" }),
      await proof(holder, { htm: "GET" }),
      await proof(holder, { iat: Math.floor(Date.now() / 1000) - 3600 }),
      await proof(holder, { iat: Math.floor(Date.now() / 1000) + 3600 }),
      await proof(holder, { jti: "" }),
      unsignedProof(holder),
      await symmetricProof(),
      await proof(holder, {}, { typ: "JWT" }),
      await proof(holder, {}, { jwk: privateJwk }),
      await proof(holder, {}, { jwk: publicOnly }),
      `${await proof(holder)}, ${await proof(holder)}`,
    ];
    const rows = await db().oidcToken.count();
    for (const p of bad) {
      const refused = await tokenCall(cc, { ...basic, dpop: p });
      expect([refused.status, refused.body.error], p.slice(0, 40)).toEqual([400, "invalid_dpop_proof"]);
    }
    expect(await db().oidcToken.count()).toBe(rows);
    const bearer = await tokenCall(cc, basic);
    expect([bearer.status, bearer.body.token_type]).toEqual([200, "Bearer"]);
    await expect(verifyAccessToken(bearer.body.access_token)).resolves.toMatchObject({ clientId: service.id });

    const { client: strict, secret: strictSecret } = await client({
      grantTypes: ["client_credentials"],
      scopes: ["tickets:read"],
      redirectUris: [],
      dpopBoundAccessTokens: true,
    });
    const strictBasic = { authorization: `Basic ${Buffer.from(`${strict.id}:${strictSecret}`).toString("base64")}` };
    expect((await tokenCall(cc, strictBasic)).body.error).toBe("invalid_dpop_proof");
    expect((await tokenCall(cc, { ...strictBasic, dpop: await proof(holder) })).status).toBe(200);

    const { client: spa } = await client({ tokenEndpointAuthMethod: "none", scopes: ["openid"] });
    const bound = await codeFor(spa.id, ["openid"], holder.jkt);
    expect((await tokenCall(bound.exchange)).body.error).toBe("invalid_dpop_proof");
    const again = await codeFor(spa.id, ["openid"], holder.jkt);
    expect((await tokenCall(again.exchange, { dpop: await proof(thief) })).body.error).toBe("invalid_grant");
    const third = await codeFor(spa.id, ["openid"], holder.jkt);
    expect((await tokenCall(third.exchange, { dpop: await proof(holder) })).body.token_type).toBe("DPoP");
  });
});
