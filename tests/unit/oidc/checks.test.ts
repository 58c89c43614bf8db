import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkPkceChallenge, checkPkceVerifier } from "@/lib/oidc/checks/check-pkce";
import { checkPrompt } from "@/lib/oidc/checks/check-prompt";
import { checkResponseMode, checkResponseType } from "@/lib/oidc/checks/check-response-type";
import { redirectUriMatches } from "@/lib/oidc/checks/check-redirect-uri";
import { checkScope } from "@/lib/oidc/checks/check-scope";
import type { OidcClient } from "@/lib/generated/prisma/client";
import { errors as joseErrors } from "jose";
import { InvalidClient, verificationRefusal } from "@/lib/oidc/errors";

function errorOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { error: string }).error;
  }
  return undefined;
}

const client = (over: Partial<OidcClient> = {}) =>
  ({
    id: "ghc_x",
    applicationType: "web",
    redirectUris: ["https://rp.example/cb"],
    grantTypes: ["authorization_code"],
    scopes: ["openid", "email", "offline_access", "tickets:write"],
    ...over,
  }) as OidcClient;

describe("PKCE", () => {
  const verifier = crypto.randomBytes(32).toString("base64url");
  const challenge = crypto.createHash("sha256").update(verifier).digest("base64url");
  it("requires an S256 challenge", () => {
    expect(errorOf(() => checkPkceChallenge({}))).toBe("invalid_request");
    expect(errorOf(() => checkPkceChallenge({ code_challenge: challenge }))).toBe("invalid_request");
    expect(errorOf(() => checkPkceChallenge({ code_challenge: challenge, code_challenge_method: "plain" }))).toBe(
      "invalid_request",
    );
    expect(checkPkceChallenge({ code_challenge: challenge, code_challenge_method: "S256" })).toBe(challenge);
  });
  it("verifies the verifier against the challenge", () => {
    expect(errorOf(() => checkPkceVerifier(verifier, challenge))).toBeUndefined();
    expect(errorOf(() => checkPkceVerifier(undefined, challenge))).toBe("invalid_grant");
    expect(errorOf(() => checkPkceVerifier(challenge, challenge))).toBe("invalid_grant");
    expect(errorOf(() => checkPkceVerifier("short", challenge))).toBe("invalid_grant");
  });
});

describe("prompt, response type and mode", () => {
  it("knows the prompt values and keeps none alone", () => {
    expect(checkPrompt({ prompt: "login consent" }).prompt).toEqual(["login", "consent"]);
    expect(errorOf(() => checkPrompt({ prompt: "none consent" }))).toBe("invalid_request");
    expect(errorOf(() => checkPrompt({ prompt: "bogus" }))).toBe("invalid_request");
    expect(errorOf(() => checkPrompt({ max_age: "-1" }))).toBe("invalid_request");
    expect(checkPrompt({ max_age: "0" }).maxAgeSeconds).toBe(0);
  });
  it("offers the code flow in query and form_post modes only", () => {
    expect(errorOf(() => checkResponseType({ response_type: "code id_token" }))).toBe("unsupported_response_type");
    expect(errorOf(() => checkResponseType({}))).toBe("invalid_request");
    expect(errorOf(() => checkResponseMode({ response_mode: "fragment" }))).toBe("invalid_request");
    expect(checkResponseMode({})).toBe("query");
  });
});

describe("redirect URIs and scopes", () => {
  it("match exactly, with any loopback port for native clients only", () => {
    expect(redirectUriMatches(client(), "https://rp.example/cb")).toBe(true);
    expect(redirectUriMatches(client(), "https://rp.example/cb/")).toBe(false);
    expect(redirectUriMatches(client(), "https://rp.example/cb?x=1")).toBe(false);
    const native = client({ applicationType: "native", redirectUris: ["http://127.0.0.1/cb"] });
    expect(redirectUriMatches(native, "http://127.0.0.1:51234/cb")).toBe(true);
    expect(redirectUriMatches(native, "http://127.0.0.1:51234/other")).toBe(false);
    expect(redirectUriMatches(client({ redirectUris: ["http://127.0.0.1/cb"] }), "http://127.0.0.1:51234/cb")).toBe(
      false,
    );
  });
  it("needs openid, refuses unregistered and API scopes, drops offline_access without refresh", () => {
    expect(errorOf(() => checkScope(client(), "email"))).toBe("invalid_scope");
    expect(errorOf(() => checkScope(client(), "openid profile"))).toBe("invalid_scope");
    expect(errorOf(() => checkScope(client(), "openid tickets:write"))).toBe("invalid_scope");
    expect(checkScope(client(), "openid email offline_access")).toEqual(["openid", "email"]);
    expect(
      checkScope(client({ grantTypes: ["authorization_code", "refresh_token"] }), "openid offline_access"),
    ).toEqual(["openid", "offline_access"]);
  });
});

describe("client_secret_basic", () => {
  it("form-urldecodes the id and secret after base64 (RFC 6749 §2.3.1)", async () => {
    const { parseBasicCredentials } = await import("@/lib/oidc/clients/authenticate-client");
    const header = `Basic ${Buffer.from("a%3Ab:c%20d+e%2B").toString("base64")}`;
    expect(parseBasicCredentials(header)).toEqual({ clientId: "a:b", secret: "c d e+" });
    expect(errorOf(() => parseBasicCredentials(`Basic ${Buffer.from("no-colon").toString("base64")}`))).toBe(
      "invalid_client",
    );
  });
});

describe("a verification failure told to the client", () => {
  it("says what jose found wrong with the token, and keeps any other cause out of the answer", () => {
    const expired = verificationRefusal(
      (d) => new InvalidClient(d),
      "client assertion rejected",
      new joseErrors.JWTExpired('"exp" claim timestamp check failed', {}),
    );
    expect(expired.description).toBe('client assertion rejected: "exp" claim timestamp check failed');
    expect(expired.detail).toBeUndefined();

    const unreachable = verificationRefusal(
      (d) => new InvalidClient(d),
      "client assertion rejected",
      new Error("connect ECONNREFUSED 10.0.0.5:443"),
    );
    expect(unreachable.description).toBe("client assertion rejected: it could not be verified");
    expect(unreachable.description).not.toContain("10.0.0.5");
    expect(unreachable.detail).toBe("connect ECONNREFUSED 10.0.0.5:443");
    expect(unreachable.message).toContain("10.0.0.5");
  });
});
