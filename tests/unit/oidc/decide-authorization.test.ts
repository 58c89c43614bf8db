import { describe, expect, it } from "vitest";
import { decideAuthorization, type InteractionState } from "@/lib/oidc/authorize/decide-authorization";
import type { AuthorizationRequest } from "@/lib/oidc/authorize/authorization-request";

const now = new Date("2026-11-24T12:00:00Z");
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const request = (over: Partial<AuthorizationRequest> = {}): AuthorizationRequest => ({
  clientId: "ghc_x",
  redirectUri: "https://rp.example/cb",
  responseMode: "query",
  scopes: ["openid", "email"],
  codeChallenge: "c".repeat(43),
  prompt: [],
  ...over,
});
const session = { userId: "usr_1", email: "ada@example.test", authTime: minutesAgo(30), subject: "usr_1" };
const decide = (
  state: InteractionState,
  opts: { interactionStartedAt?: Date; session?: typeof session | null; grantScopes?: string[] | null } = {},
) =>
  decideAuthorization({
    state,
    now,
    interactionStartedAt: opts.interactionStartedAt,
    session: opts.session === undefined ? session : opts.session,
    grantScopes: opts.grantScopes === undefined ? ["openid", "email"] : opts.grantScopes,
  }).kind;

describe("decideAuthorization", () => {
  it("asks to sign in without a session", () => {
    expect(decide({ request: request() }, { session: null })).toBe("login");
  });
  it("issues when signed in and the remembered consent covers the scopes", () => {
    expect(decide({ request: request() })).toBe("issue");
  });
  it("asks for consent when the grant is missing or narrower", () => {
    expect(decide({ request: request() }, { grantScopes: null })).toBe("consent");
    expect(decide({ request: request({ scopes: ["openid", "email", "profile"] }) })).toBe("consent");
  });
  it("prompt=login and prompt=consent ask again, once per interaction", () => {
    expect(decide({ request: request({ prompt: ["login"] }) })).toBe("login");
    expect(decide({ request: request({ prompt: ["login"] }) }, { interactionStartedAt: minutesAgo(31) })).toBe("issue");
    expect(decide({ request: request({ prompt: ["consent"] }) })).toBe("consent");
    expect(decide({ request: request({ prompt: ["consent"] }), consented: true })).toBe("issue");
  });
  it("max_age: a sign-in older than max_age needs a new one, unless it happened during the interaction", () => {
    expect(decide({ request: request({ maxAgeSeconds: 3600 }) })).toBe("issue");
    expect(decide({ request: request({ maxAgeSeconds: 60 }) })).toBe("login");
    expect(
      decide(
        { request: request({ maxAgeSeconds: 0 }) },
        { session: { ...session, authTime: now }, interactionStartedAt: now },
      ),
    ).toBe("issue");
  });
  it("login_hint naming another account asks to sign in", () => {
    expect(decide({ request: request({ loginHint: "bob@example.test" }) })).toBe("login");
    expect(decide({ request: request({ loginHint: "ADA@example.test" }) })).toBe("issue");
  });
  it("an id_token_hint naming another user asks to sign in, and after sign-in as someone else ends the request", () => {
    expect(decide({ request: request({ idTokenHintSub: "usr_1" }) })).toBe("issue");
    expect(decide({ request: request({ idTokenHintSub: "usr_2" }) })).toBe("login");
    const reauthenticated = { ...session, authTime: minutesAgo(1) };
    expect(
      decide(
        { request: request({ idTokenHintSub: "usr_2" }) },
        { session: reauthenticated, interactionStartedAt: minutesAgo(2) },
      ),
    ).toBe("wrong_account");
    expect(
      decide(
        { request: request({ idTokenHintSub: "usr_1" }) },
        { session: reauthenticated, interactionStartedAt: minutesAgo(2) },
      ),
    ).toBe("issue");
  });
  it("select_account asks once", () => {
    expect(decide({ request: request({ prompt: ["select_account"] }) })).toBe("select_account");
    expect(decide({ request: request({ prompt: ["select_account"] }), accountSelected: true })).toBe("issue");
  });
});
