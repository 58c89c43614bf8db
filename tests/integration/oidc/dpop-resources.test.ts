// Must load before any Next module: it installs the AsyncLocalStorage global that Next's request scope needs.
import "next-test-api-route-handler";
import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { ensureOidcSigningKeys } from "@/lib/oidc/signing";
import { issueAccessToken } from "@/lib/oidc/tokens/issue-access-token";
import { createClientFromCli } from "@/lib/oidc/clients/create-client-from-cli";
import * as checkoutsRoute from "@/app/api/v1/checkouts/route";
import * as checkoutRoute from "@/app/api/v1/checkouts/[id]/route";
import * as appAccountTokenRoute from "@/app/api/v1/app-account-token/route";
import * as releaseRoute from "@/app/api/governance/hosts/[orgId]/release/route";
import { callRoute, rowCounts } from "../../support/route-harness";
import { seedUser } from "../../support/factories";
import { seedPaymentsWorld } from "../../support/payments-factories";

// DPoP-bound access tokens (RFC 9449 §7) at the machine APIs, which check them
// through the very function userinfo uses. The issuer is the harness's origin.
const ORIGIN = "http://localhost:3999";

type Holder = { privateKey: CryptoKey; jwk: JWK; jkt: string };
async function keyHolder(): Promise<Holder> {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { privateKey, jwk, jkt: await calculateJwkThumbprint(jwk, "sha256") };
}
const ath = (token: string) => crypto.createHash("sha256").update(token).digest("base64url");
function proof(by: Holder, htm: string, path: string, token: string, jti = crypto.randomUUID()) {
  return new SignJWT({ htm, htu: `${ORIGIN}${path}`, ath: ath(token) })
    .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: by.jwk })
    .setIssuedAt()
    .setJti(jti)
    .sign(by.privateKey);
}

let world: Awaited<ReturnType<typeof seedPaymentsWorld>>;
let holder: Holder;
let thief: Holder;
let bound: string; // tickets:write + release:declare, bound to holder's key
let clientId: string;

beforeAll(async () => {
  await ensureOidcSigningKeys();
  world = await seedPaymentsWorld();
  [holder, thief] = await Promise.all([keyHolder(), keyHolder()]);
  const { client } = await createClientFromCli({
    name: "DPoP box office",
    redirectUris: ["https://box.example/cb"],
    grants: ["authorization_code", "client_credentials"],
    scopes: ["openid", "tickets:write", "release:declare"],
    postLogoutRedirectUris: [],
  });
  clientId = client.id;
  bound = (
    await issueAccessToken({
      clientId,
      sub: clientId,
      scopes: ["tickets:write", "release:declare"],
      dpopJkt: holder.jkt,
    })
  ).token;
});

function openCheckout(headers: Record<string, string>) {
  return callRoute(checkoutsRoute, {
    method: "POST",
    url: "/api/v1/checkouts",
    headers: { ...headers, "idempotency-key": newId("idem"), "content-type": "application/json" },
    body: JSON.stringify({
      theaterOrgId: world.theater.org.id,
      showId: "show-dpop",
      description: "Hamlet, 1 seat",
      currency: "EUR",
      lineItems: [{ name: "Seat", quantity: 1, unitAmountMinor: 2500 }],
    }),
  });
}

async function refusal(answer: Response) {
  return [answer.status, (await answer.json()).error?.reason, answer.headers.get("www-authenticate")?.split(" ")[0]];
}

describe("DPoP-bound access tokens at the machine APIs", () => {
  it("are accepted with a proof for that route, and refused stolen, with a proof for another URL, or replayed", async () => {
    const opened = await openCheckout({
      authorization: `DPoP ${bound}`,
      dpop: await proof(holder, "POST", "/api/v1/checkouts", bound),
    });
    expect(opened.status).toBe(201);
    const checkout = await opened.json();
    const statusPath = `/api/v1/checkouts/${checkout.id}`;
    const status = await callRoute(checkoutRoute, {
      url: statusPath,
      params: { id: checkout.id },
      headers: { authorization: `DPoP ${bound}`, dpop: await proof(holder, "GET", statusPath, bound) },
    });
    expect([status.status, (await status.json()).id]).toEqual([200, checkout.id]);

    const before = await rowCounts();
    // Stolen: as a bearer token, with the DPoP scheme but no proof, or with the thief's own proof.
    expect(await refusal(await openCheckout({ authorization: `Bearer ${bound}` }))).toEqual([
      401,
      "invalid_token",
      "DPoP",
    ]);
    expect(await refusal(await openCheckout({ authorization: `DPoP ${bound}` }))).toEqual([
      401,
      "invalid_dpop_proof",
      "DPoP",
    ]);
    const byThief = await openCheckout({
      authorization: `DPoP ${bound}`,
      dpop: await proof(thief, "POST", "/api/v1/checkouts", bound),
    });
    expect(await refusal(byThief)).toEqual([401, "invalid_token", "DPoP"]);
    // A proof made for another URL or method of the same API, or over another token.
    for (const other of [
      await proof(holder, "POST", statusPath, bound),
      await proof(holder, "GET", "/api/v1/checkouts", bound),
      await proof(holder, "POST", "/oidc/userinfo", bound),
      await proof(holder, "POST", "/api/v1/checkouts", "another token"),
    ]) {
      const answer = await openCheckout({ authorization: `DPoP ${bound}`, dpop: other });
      expect(await refusal(answer)).toEqual([401, "invalid_dpop_proof", "DPoP"]);
    }
    // Replayed: the very proof that opened a checkout once is refused the second time.
    const once = await proof(holder, "POST", "/api/v1/checkouts", bound);
    expect((await openCheckout({ authorization: `DPoP ${bound}`, dpop: once })).status).toBe(201);
    const after = await rowCounts();
    expect(await refusal(await openCheckout({ authorization: `DPoP ${bound}`, dpop: once }))).toEqual([
      401,
      "invalid_dpop_proof",
      "DPoP",
    ]);
    expect(await rowCounts()).toEqual(after);
    expect(after).not.toEqual(before);

    // A plain bearer token still works as a bearer token; no token at all offers both schemes.
    const plain = (await issueAccessToken({ clientId, sub: clientId, scopes: ["tickets:write"] })).token;
    expect((await openCheckout({ authorization: `Bearer ${plain}` })).status).toBe(201);
    const none = await openCheckout({});
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer error="invalid_token".*DPoP algs="ES256/);
  });

  it("the federation machine API and the app account token take the same proofs", async () => {
    // Release declaration: the token authenticates (DPoP), then the host check refuses a client of no host.
    const path = `/api/governance/hosts/${world.theater.org.id}/release`;
    const declare = (headers: Record<string, string>) =>
      callRoute(releaseRoute, {
        method: "PUT",
        url: path,
        params: { orgId: world.theater.org.id },
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ releaseId: "rel-dpop" }),
      });
    expect(await refusal(await declare({ authorization: `Bearer ${bound}` }))).toEqual([401, "invalid_token", "DPoP"]);
    const proven = await declare({ authorization: `DPoP ${bound}`, dpop: await proof(holder, "PUT", path, bound) });
    expect([proven.status, (await proven.json()).error.reason]).toEqual([403, "WRONG_HOST"]);

    // App account token: a user's DPoP-bound token, before this refused only for lack of a proof check.
    const { user } = await seedUser();
    const grant = await db().oidcGrant.create({
      data: { id: newId("grt"), userId: user.id, clientId, scopes: ["openid"] },
    });
    const userToken = (
      await issueAccessToken({
        clientId,
        sub: `sub-${user.id}`,
        userId: user.id,
        scopes: ["openid"],
        grantId: grant.id,
        dpopJkt: holder.jkt,
      })
    ).token;
    const appPath = "/api/v1/app-account-token";
    const asBearer = await callRoute(appAccountTokenRoute, {
      method: "POST",
      url: appPath,
      headers: { authorization: `Bearer ${userToken}` },
    });
    expect(await refusal(asBearer)).toEqual([401, "invalid_token", "DPoP"]);
    const withProof = await callRoute(appAccountTokenRoute, {
      method: "POST",
      url: appPath,
      headers: { authorization: `DPoP ${userToken}`, dpop: await proof(holder, "POST", appPath, userToken) },
    });
    expect(withProof.status).toBe(200);
  });
});
