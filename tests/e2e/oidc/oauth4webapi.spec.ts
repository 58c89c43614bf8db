import { expect, test } from "@playwright/test";
import * as oauth from "oauth4webapi";
import { useSharedSession } from "../support/sign-in";
import { authorizeInContext, createOidcClient, type CreatedClient } from "../support/oidc";
import { demoAccounts } from "@/lib/seed/demo-accounts";
import { defined } from "../../support/defined";

const REDIRECT = "http://localhost:5559/cb";
let web: CreatedClient;
let machine: CreatedClient;

// One worker for both tests, so the clients are registered once.
test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  [web, machine] = await Promise.all([
    createOidcClient(["--name", "oauth4webapi RP", "--redirect-uri", REDIRECT, "--subject", "pairwise"]),
    createOidcClient(["--name", "oauth4webapi machine", "--grant", "client_credentials", "--scope", "tickets:write"]),
  ]);
});

async function server(baseURL: string) {
  const issuer = new URL(baseURL);
  return oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { [oauth.allowInsecureRequests]: true }),
  );
}

test("oauth4webapi: code flow with RFC 9207 iss, pairwise subject, userinfo and introspection", async ({
  page,
  baseURL,
}) => {
  await useSharedSession(page, demoAccounts.members[0].email);
  const as = await server(defined(baseURL));
  const client: oauth.Client = { client_id: web.client_id };
  const auth = oauth.ClientSecretBasic(defined(web.client_secret));
  const verifier = oauth.generateRandomCodeVerifier();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(defined(as.authorization_endpoint));
  for (const [k, v] of Object.entries({
    client_id: web.client_id,
    redirect_uri: REDIRECT,
    response_type: "code",
    scope: "openid email",
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  }))
    url.searchParams.set(k, v);

  const callback = await authorizeInContext(page.request, url);
  // Checks iss against the issuer, since discovery says the parameter is supported.
  const params = oauth.validateAuthResponse(as, client, callback, oauth.expectNoState);
  const opts = { [oauth.allowInsecureRequests]: true };
  const tokens = await oauth.processAuthorizationCodeResponse(
    as,
    client,
    await oauth.authorizationCodeGrantRequest(as, client, auth, params, REDIRECT, verifier, opts),
    { expectedNonce: nonce, requireIdToken: true },
  );
  const claims = defined(oauth.getValidatedIdTokenClaims(tokens));
  // Pairwise: not the user's id.
  expect(claims.sub).not.toMatch(/^usr_/);
  const info = await oauth.processUserInfoResponse(
    as,
    client,
    claims.sub,
    await oauth.userInfoRequest(as, client, tokens.access_token, opts),
  );
  expect(info.email).toBe(demoAccounts.members[0].email);
  const introspection = await oauth.processIntrospectionResponse(
    as,
    client,
    await oauth.introspectionRequest(as, client, auth, tokens.access_token, opts),
  );
  expect(introspection).toMatchObject({ active: true, sub: claims.sub });

  // A tampered iss in the callback is caught by the relying party.
  const forged = new URL(callback);
  forged.searchParams.set("iss", "http://evil.example");
  expect(() => oauth.validateAuthResponse(as, client, forged, oauth.expectNoState)).toThrow();
});

test("oauth4webapi: client_credentials gives an RFC 9068 access token", async ({ baseURL }) => {
  const as = await server(defined(baseURL));
  const client: oauth.Client = { client_id: machine.client_id };
  const res = await oauth.clientCredentialsGrantRequest(
    as,
    client,
    oauth.ClientSecretBasic(defined(machine.client_secret)),
    { scope: "tickets:write" },
    { [oauth.allowInsecureRequests]: true },
  );
  expect(res.headers.get("cache-control")).toBe("no-store");
  const tokens = await oauth.processClientCredentialsResponse(as, client, res);
  expect(tokens.scope).toBe("tickets:write");
  expect(JSON.parse(Buffer.from(tokens.access_token.split(".")[0], "base64url").toString()).typ).toBe("at+jwt");
});
