import crypto from "node:crypto";
import { expect, test } from "@playwright/test";
import * as oidc from "openid-client";
import { exportJWK, generateKeyPair } from "jose";
import { useSharedSession } from "../support/sign-in";
import { queryE2e } from "../support/database";
import { authorizeInContext } from "../support/oidc";
import { demoAccounts } from "@/lib/seed/demo-accounts";
import { defined } from "../../support/defined";

// A certified relying-party library (openid-client) against the portal: signed request objects (RFC 9101) and
// DPoP-bound tokens (RFC 9449), end to end, for a client registered to require both.
const REDIRECT = "http://localhost:5557/cb";

test("a client that requires signed requests and DPoP signs in a user; its stolen token is refused", async ({
  page,
  baseURL,
}) => {
  // An initial access token for dynamic registration, as `clients registration-token` would write it.
  const iat = crypto.randomBytes(32).toString("base64url");
  const [admin] = await queryE2e<{ id: string }>(`SELECT "id" FROM "User" ORDER BY "createdAt" LIMIT 1`);
  await queryE2e(
    `INSERT INTO "OidcInitialAccessToken" ("id", "tokenHash", "createdById", "expiresAt") VALUES ($1, $2, $3, now() + interval '1 hour')`,
    [
      `iat_e2e_${crypto.randomBytes(6).toString("hex")}`,
      crypto.createHash("sha256").update(iat).digest("hex"),
      admin.id,
    ],
  );
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const registered = await page.request.post("/oidc/register", {
    headers: { authorization: `Bearer ${iat}` },
    data: {
      client_name: "Sender-constrained RP",
      redirect_uris: [REDIRECT],
      scope: "openid email",
      jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: "rp-1", use: "sig", alg: "ES256" }] },
      require_signed_request_object: true,
      dpop_bound_access_tokens: true,
    },
  });
  expect(registered.status(), await registered.text()).toBe(201);
  const client = (await registered.json()) as { client_id: string; client_secret: string };
  const config = await oidc.discovery(
    new URL(defined(baseURL)),
    client.client_id,
    undefined,
    oidc.ClientSecretBasic(client.client_secret),
    { execute: [oidc.allowInsecureRequests] },
  );
  expect(config.serverMetadata().request_parameter_supported).toBe(true);

  await useSharedSession(page, demoAccounts.members[1].email);
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const params = {
    redirect_uri: REDIRECT,
    scope: "openid email",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
  };
  // In the clear, the request is refused back to the client.
  const plain = await page.request.get(oidc.buildAuthorizationUrl(config, params).href, { maxRedirects: 0 });
  expect(new URL(plain.headers().location).searchParams.get("error")).toBe("invalid_request");

  const signed = await oidc.buildAuthorizationUrlWithJAR(config, params, { key: privateKey, kid: "rp-1" });
  const callback = await authorizeInContext(page.request, signed);
  const dpop = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair("ES256"));
  const tokens = await oidc.authorizationCodeGrant(
    config,
    callback,
    { pkceCodeVerifier: verifier, expectedState: state },
    undefined,
    {
      DPoP: dpop,
    },
  );
  expect(tokens.token_type).toBe("dpop");
  const sub = defined(tokens.claims()).sub;
  const info = await oidc.fetchUserInfo(config, tokens.access_token, sub, { DPoP: dpop });
  expect(info.email).toBe(demoAccounts.members[1].email);

  // The same token without a proof by its key, as a thief would send it.
  const stolen = await page.request.get("/oidc/userinfo", {
    headers: { authorization: `Bearer ${tokens.access_token}` },
  });
  expect(stolen.status()).toBe(401);
  expect(stolen.headers()["www-authenticate"]).toMatch(/^DPoP /);
});
