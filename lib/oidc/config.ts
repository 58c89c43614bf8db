import "server-only";
import { env } from "@/lib/config/env";

/**
 * The provider's fixed settings. The issuer is the configured public URL,
 * byte for byte, and every endpoint is built from it, never from a request's
 * Host header, so a proxy or a forged Host cannot change what we assert.
 */
export function issuer(): string {
  return env().publicUrl;
}

export const oidcPaths = {
  authorization: "/oidc/authorize",
  token: "/oidc/token",
  userinfo: "/oidc/userinfo",
  jwks: "/oidc/jwks",
  introspection: "/oidc/introspect",
  revocation: "/oidc/revoke",
  endSession: "/oidc/end-session",
  registration: "/oidc/register",
  pushedAuthorizationRequest: "/oidc/par",
} as const;

export function endpoint(name: keyof typeof oidcPaths): string {
  return `${issuer()}${oidcPaths[name]}`;
}

/** Lifetimes, in seconds. */
export const oidcTtl = {
  authorizationCodeSeconds: 60,
  interactionSeconds: 15 * 60,
  // RFC 9126 §2.2: long enough for the browser's redirect, short enough that a leaked request_uri is soon worthless.
  pushedRequestSeconds: 90,
  accessTokenSeconds: 10 * 60,
  idTokenSeconds: 10 * 60,
  refreshTokenSeconds: 30 * 86_400,
  logoutTokenSeconds: 2 * 60,
  // Two refreshes of one token within this window both succeed (a browser's
  // two tabs, a retried request); later reuse is treated as theft.
  refreshGraceSeconds: 30,
} as const;

/** Clock skew tolerated on everything a client signs or presents, as the certification expects. */
export const CLOCK_SKEW_SECONDS = 300;

/** Entropy of the secrets we hand out (bytes); codes ≥ 128 bits, tokens ≥ 96 bits. */
export const secretBytes = {
  code: 32,
  refreshToken: 32,
  clientSecret: 32,
  initialAccessToken: 32,
  interaction: 24,
  requestUri: 32,
} as const;

export const ID_TOKEN_ALGS = ["RS256", "ES256"] as const;
export type IdTokenAlg = (typeof ID_TOKEN_ALGS)[number];

export const GRANT_TYPES = ["authorization_code", "refresh_token", "client_credentials"] as const;
export const CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

/** Options of the transactions that issue tokens: they sign JWTs inside, which is slow on a loaded machine. */
export const TOKEN_TX = { timeout: 15_000 } as const;
