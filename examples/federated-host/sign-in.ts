import { createHash, randomBytes } from "node:crypto";
import { createRemoteJWKSet, jwtVerify, SignJWT, type CryptoKey, type KeyObject } from "jose";

type Signer = { entityId: string; key: CryptoKey | KeyObject; kid: string };
type Pending = { verifier: string; nonce: string; until: number };

/**
 * Signing users in through Guildhall by OpenID Federation automatic
 * registration: no client was registered by hand. The client id is this
 * host's entity id; the authorization request travels in a request object
 * signed with the host's admitted federation key; the code is redeemed with
 * private_key_jwt under the same key; the ID token is checked against the
 * provider's published keys. The provider's endpoints come from the anchor's
 * own Entity Configuration (its `openid_provider` metadata), already verified.
 */
export function createSignIn(op: Record<string, unknown>, self: Signer) {
  const pending = new Map<string, Pending>();
  const issuer = String(op.issuer);
  const jwks = createRemoteJWKSet(new URL(String(op.jwks_uri)));
  const redirectUri = `${self.entityId}/cb`;
  const sign = (jwt: SignJWT) => jwt.sign(self.key);

  return {
    /** The URL to send the browser to. */
    async start(): Promise<string> {
      const state = randomBytes(16).toString("base64url");
      const verifier = randomBytes(32).toString("base64url");
      const nonce = randomBytes(16).toString("base64url");
      for (const [k, p] of pending) if (p.until < Date.now()) pending.delete(k);
      pending.set(state, { verifier, nonce, until: Date.now() + 600_000 });
      const request = await sign(
        new SignJWT({
          client_id: self.entityId,
          response_type: "code",
          redirect_uri: redirectUri,
          scope: "openid email",
          state,
          nonce,
          code_challenge: createHash("sha256").update(verifier).digest("base64url"),
          code_challenge_method: "S256",
        })
          .setProtectedHeader({ alg: "ES256", kid: self.kid, typ: "oauth-authz-req+jwt" })
          .setIssuer(self.entityId)
          .setAudience(issuer)
          .setIssuedAt()
          .setJti(randomBytes(16).toString("base64url"))
          .setExpirationTime("5m"),
      );
      const url = new URL(String(op.authorization_endpoint));
      url.search = new URLSearchParams({ client_id: self.entityId, request }).toString();
      return url.toString();
    },

    /** The redirect back: the code redeemed, the ID token verified, userinfo read. Returns the subject and email. */
    async finish(query: URLSearchParams): Promise<{ sub: string; email?: unknown }> {
      const state = query.get("state") ?? "";
      const p = pending.get(state);
      pending.delete(state);
      if (!p || p.until < Date.now()) throw new Error("unknown or expired sign-in");
      if (query.get("error")) throw new Error(`the provider refused: ${query.get("error")}`);
      const assertion = await sign(
        new SignJWT({})
          .setProtectedHeader({ alg: "ES256", kid: self.kid })
          .setIssuer(self.entityId)
          .setSubject(self.entityId)
          .setAudience(String(op.token_endpoint))
          .setIssuedAt()
          .setJti(randomBytes(16).toString("base64url"))
          .setExpirationTime("60s"),
      );
      const res = await fetch(String(op.token_endpoint), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code: query.get("code") ?? "",
          redirect_uri: redirectUri,
          code_verifier: p.verifier,
          client_id: self.entityId,
          client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
          client_assertion: assertion,
        }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await res.json()) as Record<string, unknown>;
      if (!res.ok) throw new Error(`token endpoint: ${res.status} ${JSON.stringify(body)}`);
      const { payload } = await jwtVerify(String(body.id_token), jwks, { issuer, audience: self.entityId });
      if (payload.nonce !== p.nonce) throw new Error("the ID token is for another sign-in");
      // The ID token says who; the email (scope "email") comes from userinfo, for the same subject.
      const info = await fetch(String(op.userinfo_endpoint), {
        headers: { authorization: `Bearer ${String(body.access_token)}` },
        signal: AbortSignal.timeout(10_000),
      });
      const claims = (await info.json()) as Record<string, unknown>;
      if (!info.ok || claims.sub !== payload.sub) throw new Error("userinfo does not match the ID token");
      return { sub: String(payload.sub), email: claims.email };
    },
  };
}
