import { expect, type APIRequestContext } from "@playwright/test";
import * as oidc from "openid-client";
import { runOperatorCli } from "./operator-cli";

export type CreatedClient = { client_id: string; client_secret: string | null };

/** Registers a client through the operator CLI on the e2e database, as an operator would. */
export async function createOidcClient(args: string[]): Promise<CreatedClient> {
  return runOperatorCli<CreatedClient>(["clients", "create", ...args]);
}

/** openid-client configured against the e2e portal, with its strictest checks on. */
export async function relyingParty(
  baseURL: string,
  client: CreatedClient,
  auth?: oidc.ClientAuth,
): Promise<oidc.Configuration> {
  return oidc.discovery(
    new URL(baseURL),
    client.client_id,
    undefined,
    auth ?? (client.client_secret ? oidc.ClientSecretBasic(client.client_secret) : oidc.None()),
    {
      execute: [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks],
    },
  );
}

export type AuthorizationStart = { url: URL; verifier: string; state: string; nonce: string };

export async function startAuthorization(
  config: oidc.Configuration,
  params: Record<string, string>,
): Promise<AuthorizationStart> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    scope: "openid profile email",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...params,
  });
  return { url, verifier, state, nonce };
}

/**
 * Follows the authorization request in a signed-in browser context until it
 * redirects to the client, allowing consent when asked. Returns the URL the
 * client receives.
 */
export async function authorizeInContext(
  request: APIRequestContext,
  url: URL,
  opts: { consent?: "allow" | "deny" } = {},
): Promise<URL> {
  let res = await request.get(url.href, { maxRedirects: 0 });
  for (let hops = 0; hops < 4; hops++) {
    expect(res.status(), await res.text()).toBe(303);
    const location = new URL(res.headers().location);
    if (!location.pathname.startsWith("/oidc/interaction/")) return location;
    res = await request.post(`${location.pathname}/decision`, {
      form: { action: opts.consent ?? "allow" },
      headers: { origin: location.origin },
      maxRedirects: 0,
    });
  }
  throw new Error("authorization did not finish");
}

/** A raw form POST to the token endpoint, for negative tests that a strict library would not send. */
export async function postToken(request: APIRequestContext, form: Record<string, string>, client?: CreatedClient) {
  const headers: Record<string, string> = {};
  if (client?.client_secret)
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`).toString("base64")}`;
  const res = await request.post("/oidc/token", { form, headers });
  return { status: res.status(), headers: res.headers(), body: (await res.json()) as Record<string, unknown> };
}
