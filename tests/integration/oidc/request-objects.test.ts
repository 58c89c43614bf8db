import { beforeAll, describe, expect, it } from "vitest";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { db } from "@/lib/db/client";
import { parseAuthorizationRequest } from "@/lib/oidc/authorize/authorization-request";
import { discoveryDocument } from "@/lib/oidc/discovery";
import { approvedClient, CHALLENGE, ISSUER, push, REDIRECT, refusal } from "./front-channel";

// Signed authorization request objects (RFC 9101), by value and pushed (RFC 9126).
let clientKey: CryptoKey;
let otherKey: CryptoKey;
let jwk: Record<string, unknown>;

beforeAll(async () => {
  ({ privateKey: clientKey, publicKey: otherKey } = await generateKeyPair("ES256"));
  jwk = { ...(await exportJWK(otherKey)), kid: "rp-1", use: "sig", alg: "ES256" };
  // otherKey was the public half; the forger's key is a fresh pair of its own.
  otherKey = (await generateKeyPair("ES256")).privateKey;
});

function signingClient(requireSignedRequestObject = false) {
  return approvedClient({ name: "Signing RP", jwks: { keys: [jwk] }, requireSignedRequestObject });
}

const inner = (extra: Record<string, unknown> = {}) => ({
  redirect_uri: REDIRECT,
  response_type: "code",
  scope: "openid email",
  code_challenge: CHALLENGE,
  code_challenge_method: "S256",
  state: "s-inner",
  nonce: "n-inner",
  max_age: 600,
  ...extra,
});

async function requestObject(
  clientId: string,
  opts: { claims?: Record<string, unknown>; key?: CryptoKey; aud?: string; exp?: number; typ?: string } = {},
) {
  const jwt = new SignJWT({ client_id: clientId, ...inner(), ...opts.claims })
    .setProtectedHeader({ alg: "ES256", kid: "rp-1", typ: opts.typ ?? "oauth-authz-req+jwt" })
    .setIssuer(clientId)
    .setAudience(opts.aud ?? ISSUER)
    .setIssuedAt()
    .setJti(crypto.randomUUID());
  jwt.setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 120);
  return jwt.sign(opts.key ?? clientKey);
}

describe("signed request objects (RFC 9101)", () => {
  it("are advertised, with the algorithms and per-client requirement", () => {
    expect(discoveryDocument()).toMatchObject({
      request_parameter_supported: true,
      request_uri_parameter_supported: false,
      require_signed_request_object: false,
      claims_parameter_supported: false,
    });
    expect(discoveryDocument().request_object_signing_alg_values_supported).toEqual(
      expect.arrayContaining(["RS256", "PS256", "ES256", "EdDSA"]),
    );
    expect(discoveryDocument().request_object_signing_alg_values_supported).not.toContain("HS256");
  });

  it("takes the parameters inside a verified object only, ignoring those outside it", async () => {
    const { client } = await signingClient();
    const { request } = await parseAuthorizationRequest({
      client_id: client.id,
      // Core §5.5's claims parameter, as an object inside: accepted and, as discovery says, not acted on.
      request: await requestObject(client.id, { claims: { claims: { userinfo: { email: { essential: true } } } } }),
      state: "s-outside",
      scope: "openid",
      response_type: "code",
    });
    expect(request).toMatchObject({
      clientId: client.id,
      redirectUri: REDIRECT,
      state: "s-inner",
      nonce: "n-inner",
      scopes: ["openid", "email"],
      maxAgeSeconds: 600,
    });
  });

  it("refuses a forged, expired, replayed, misaddressed, unsigned or mismatched object with invalid_request_object", async () => {
    const { client } = await signingClient();
    const outside = { client_id: client.id, redirect_uri: REDIRECT, response_type: "code", scope: "openid" };
    const forged = await requestObject(client.id, { key: otherKey });
    expect(await refusal(parseAuthorizationRequest({ ...outside, request: forged }))).toEqual({
      error: "invalid_request_object",
      redirectUri: REDIRECT,
    });
    // Without a registered redirect URI outside it, an invalid object's own redirect_uri is not trusted.
    expect(await refusal(parseAuthorizationRequest({ client_id: client.id, request: forged }))).toEqual({
      error: "untrusted",
    });
    const expired = await requestObject(client.id, { exp: Math.floor(Date.now() / 1000) - 600 });
    const misaddressed = await requestObject(client.id, { aud: "https://another-provider.example" });
    const farFuture = await requestObject(client.id, { exp: Math.floor(Date.now() / 1000) + 86_400 });
    const otherClient = await requestObject(client.id, { claims: { client_id: "ghc_someone_else" } });
    const nested = await requestObject(client.id, { claims: { request_uri: "https://rp.example/r" } });
    const wrongType = await requestObject(client.id, { typ: "dpop+jwt" });
    const [header, payload] = (await requestObject(client.id)).split(".");
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${payload}.`;
    for (const bad of [expired, misaddressed, farFuture, otherClient, nested, wrongType, unsigned, `${header}.e30`])
      expect((await refusal(parseAuthorizationRequest({ ...outside, request: bad }))).error).toBe(
        "invalid_request_object",
      );

    const once = await requestObject(client.id);
    await parseAuthorizationRequest({ client_id: client.id, request: once });
    expect((await refusal(parseAuthorizationRequest({ ...outside, request: once }))).error).toBe(
      "invalid_request_object",
    );
  });

  it("a client registered to sign its requests cannot send them in the clear, by URL or by push", async () => {
    const { client, secret } = await signingClient(true);
    const plain: Record<string, string> = { client_id: client.id, ...inner(), max_age: "600" };
    expect(await refusal(parseAuthorizationRequest(plain))).toEqual({
      error: "invalid_request",
      redirectUri: REDIRECT,
    });
    const pushedPlain = await push(client.id, secret, plain);
    expect([pushedPlain.status, pushedPlain.body.error]).toEqual([400, "invalid_request"]);

    const pushed = await push(client.id, secret, { request: await requestObject(client.id) });
    expect(pushed.status).toBe(201);
    const { request } = await parseAuthorizationRequest({
      client_id: client.id,
      request_uri: String(pushed.body.request_uri),
    });
    expect(request).toMatchObject({ redirectUri: REDIRECT, state: "s-inner", nonce: "n-inner" });

    const before = await db().oidcPushedRequest.count();
    const forged = await push(client.id, secret, { request: await requestObject(client.id, { key: otherKey }) });
    expect([forged.status, forged.body.error]).toEqual([400, "invalid_request_object"]);
    expect(await db().oidcPushedRequest.count()).toBe(before);
  });

  it("refuses a request_uri it did not issue, and an object signed with the client's secret", async () => {
    const { client, secret } = await signingClient();
    const outside = { client_id: client.id, redirect_uri: REDIRECT, response_type: "code", scope: "openid" };
    // Discovery says request_uri_parameter_supported false: no object is fetched from a client's URL (RFC 9101 §6.2).
    const byUrl = await refusal(parseAuthorizationRequest({ ...outside, request_uri: "https://rp.example/r.jwt" }));
    expect(byUrl).toEqual({ error: "request_uri_not_supported", redirectUri: REDIRECT });
    // A reference in the pushed form that was never pushed goes back to a registered redirect URI outside it, and
    // without one leaves nothing trusted to redirect to.
    const unknown = `urn:ietf:params:oauth:request_uri:${crypto.randomUUID()}`;
    expect(await refusal(parseAuthorizationRequest({ ...outside, request_uri: unknown }))).toEqual({
      error: "invalid_request_uri",
      redirectUri: REDIRECT,
    });
    expect(await refusal(parseAuthorizationRequest({ client_id: client.id, request_uri: unknown }))).toEqual({
      error: "untrusted",
    });
    expect(
      await refusal(
        parseAuthorizationRequest({
          client_id: client.id,
          redirect_uri: "https://evil.example/cb",
          request_uri: unknown,
        }),
      ),
    ).toEqual({ error: "untrusted" });
    // HS256 under the client secret: symmetric algorithms are not among those advertised.
    const symmetric = await new SignJWT({ client_id: client.id, ...inner() })
      .setProtectedHeader({ alg: "HS256", typ: "oauth-authz-req+jwt" })
      .setIssuer(client.id)
      .setAudience(ISSUER)
      .setExpirationTime("2m")
      .sign(new TextEncoder().encode(secret));
    expect((await refusal(parseAuthorizationRequest({ ...outside, request: symmetric }))).error).toBe(
      "invalid_request_object",
    );
  });

  it("answers a request with both request and request_uri with invalid_request at a trusted redirect URI, using up nothing", async () => {
    const { client, secret } = await signingClient();
    const pushed = await push(client.id, secret, { request: await requestObject(client.id) });
    const requestUri = String(pushed.body.request_uri);
    const outside = { client_id: client.id, redirect_uri: REDIRECT, response_type: "code", scope: "openid" };
    // OIDC Core §6: one or the other. The redirect URI outside is registered: the error goes there.
    expect(
      await refusal(
        parseAuthorizationRequest({ ...outside, request: await requestObject(client.id), request_uri: requestUri }),
      ),
    ).toEqual({ error: "invalid_request", redirectUri: REDIRECT });
    // None outside: the one inside the object, once it verifies, is trusted.
    expect(
      await refusal(
        parseAuthorizationRequest({
          client_id: client.id,
          request: await requestObject(client.id),
          request_uri: requestUri,
        }),
      ),
    ).toEqual({ error: "invalid_request", redirectUri: REDIRECT });
    // A forged object's redirect URI is not: our page.
    expect(
      await refusal(
        parseAuthorizationRequest({
          client_id: client.id,
          request: await requestObject(client.id, { key: otherKey }),
          request_uri: requestUri,
        }),
      ),
    ).toEqual({ error: "untrusted" });
    // The refused requests did not use up the pushed one.
    const { request } = await parseAuthorizationRequest({ client_id: client.id, request_uri: requestUri });
    expect(request).toMatchObject({ redirectUri: REDIRECT, state: "s-inner" });
  });
});
