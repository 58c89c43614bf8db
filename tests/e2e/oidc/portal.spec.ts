import { expect, test } from "@playwright/test";
import * as oidc from "openid-client";
import { useSharedSession } from "../support/sign-in";
import { authorizeInContext, relyingParty, startAuthorization } from "../support/oidc";
import { demoAccounts } from "@/lib/seed/demo-accounts";
import { checkPage, journeyTimeoutMs, reportPageTimes } from "../support/journey";
import { defined } from "../../support/defined";

const hostClients = `/orgs/${demoAccounts.host.slug}/clients`;

/**
 * The host operator's journey (issue 17): from their host's page to client
 * registration, a refused form that keeps what was typed, the secret with a
 * copy button; every page checked at 1280 and 390 px.
 */
test("a host operator registers a client; it works only after an org admin approves it, and stops when suspended", async ({
  browser,
  baseURL,
}, testInfo) => {
  test.setTimeout(journeyTimeoutMs);
  const operator = await (await browser.newContext()).newPage();
  await useSharedSession(operator, demoAccounts.hostOperator.email);
  await operator.goto(`/orgs/${demoAccounts.host.slug}`);
  await checkPage(operator, testInfo, "host organization");
  await operator.getByTestId("clients-link").click();
  await expect(operator).toHaveURL(new RegExp(`${hostClients}$`));
  await checkPage(operator, testInfo, "host clients");
  const form = operator.getByTestId("register-client-form");
  // A refused registration keeps what was typed and shows why, in view.
  await form.getByLabel("Name", { exact: true }).fill("Kept on error");
  await form.getByLabel(/^Redirect URIs/).fill("not a uri");
  await form.getByRole("button", { name: "Register" }).click();
  await expect(form.getByRole("alert")).toBeVisible();
  await expect(form.getByRole("alert")).toBeInViewport();
  await expect(form.getByLabel("Name", { exact: true })).toHaveValue("Kept on error");
  await form.getByLabel("Name", { exact: true }).fill("Portal-registered RP");
  await form.getByLabel(/^Redirect URIs/).fill("http://localhost:5557/cb");
  await form.getByRole("checkbox", { name: "refresh token" }).check();
  await form.getByLabel("Scopes").fill("openid email offline_access");
  await form.getByRole("button", { name: "Register" }).click();
  const clientId = defined(await operator.getByTestId("new-client-id").textContent());
  const secret = defined(await operator.getByTestId("new-client-secret").textContent());
  await expect(form.getByRole("button", { name: "Copy the secret" })).toBeVisible();
  await expect(operator.getByTestId(`status-${clientId}`)).toHaveAttribute("data-status", "pending");
  await checkPage(operator, testInfo, "host client registered");

  // Pending: the authorization endpoint does not know it as a usable client.
  const config = await relyingParty(defined(baseURL), { client_id: clientId, client_secret: secret });
  const pending = await startAuthorization(config, { redirect_uri: "http://localhost:5557/cb", scope: "openid email" });
  expect((await operator.request.get(pending.url.href, { maxRedirects: 0 })).status()).toBe(400);

  const admin = await (await browser.newContext()).newPage();
  await useSharedSession(admin, demoAccounts.admin.email);
  await admin.goto("/admin/clients");
  await admin.getByTestId(`approved-${clientId}`).click();
  await expect(admin.getByTestId(`status-${clientId}`)).toHaveAttribute("data-status", "approved");

  const start = await startAuthorization(config, { redirect_uri: "http://localhost:5557/cb", scope: "openid email" });
  const callback = await authorizeInContext(operator.request, start.url);
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: start.verifier,
    expectedState: start.state,
    expectedNonce: start.nonce,
  });
  expect(defined(tokens.claims()).iss).toBe(baseURL);

  await admin.getByTestId(`suspended-${clientId}`).click();
  await expect(admin.getByTestId(`status-${clientId}`)).toHaveAttribute("data-status", "suspended");
  // Suspended: its tokens stop working and it can no longer authenticate.
  const userinfo = await operator.request.get("/oidc/userinfo", {
    headers: { authorization: `Bearer ${tokens.access_token}` },
  });
  expect(userinfo.status()).toBe(401);
  const introspection = await operator.request.post("/oidc/introspect", {
    form: { token: tokens.access_token },
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}` },
  });
  expect(introspection.status()).toBe(401);
  expect((await introspection.json()).error).toBe("invalid_client");
  await reportPageTimes(testInfo);
});

test("a host operator registers a client that requires PAR, signed request objects and DPoP", async ({ browser }) => {
  const operator = await (await browser.newContext()).newPage();
  await useSharedSession(operator, demoAccounts.hostOperator.email);
  await operator.goto(hostClients);
  const form = operator.getByTestId("register-client-form");
  // React resets the form after each submission, so each attempt fills it whole.
  const fill = async (jwksUri: string) => {
    await form.getByLabel("Name", { exact: true }).fill("Strict portal RP");
    await form.getByLabel(/^Redirect URIs/).fill("http://localhost:5559/cb");
    await form.getByLabel(/^JWKS URI/).fill(jwksUri);
    await form.getByRole("checkbox", { name: /pushed authorization requests/ }).check();
    await form.getByRole("checkbox", { name: /signed request objects/ }).check();
    await form.getByRole("checkbox", { name: /DPoP-bound access tokens/ }).check();
    await form.getByRole("button", { name: "Register" }).click();
  };
  // Signed request objects need keys to verify them with: refused, and nothing is registered.
  await fill("");
  await expect(form.getByRole("alert")).toContainText("signed request objects need jwks or jwksUri");
  await fill("https://strict.example/jwks.json");
  const clientId = defined(await operator.getByTestId("new-client-id").textContent());
  await expect(operator.getByTestId(`protections-${clientId}`)).toHaveText(
    "PAR required, signed requests required, DPoP-bound tokens",
  );
});

test("the client pages refuse users without the role", async ({ page }) => {
  await useSharedSession(page, demoAccounts.members[0].email);
  expect(defined(await page.goto(hostClients)).status()).toBe(403);
  expect(defined(await page.goto("/admin/clients")).status()).toBe(403);
});

test("connected apps: the user sees the app they consented to and revoking ends its tokens", async ({
  page,
  baseURL,
}) => {
  const { createOidcClient } = await import("../support/oidc");
  const client = await createOidcClient(["--name", "Revocable RP", "--redirect-uri", "http://localhost:5558/cb"]);
  await useSharedSession(page, demoAccounts.finance.email);
  const config = await relyingParty(defined(baseURL), client);
  const start = await startAuthorization(config, { redirect_uri: "http://localhost:5558/cb" });
  const tokens = await oidc.authorizationCodeGrant(config, await authorizeInContext(page.request, start.url), {
    pkceCodeVerifier: start.verifier,
    expectedState: start.state,
    expectedNonce: start.nonce,
  });
  await page.goto("/account/apps");
  await expect(page.getByTestId("connected-apps")).toContainText("Revocable RP");
  await page.getByTestId(`revoke-${client.client_id}`).click();
  await expect(page.getByTestId("connected-apps")).not.toContainText("Revocable RP");
  const res = await page.request.get("/oidc/userinfo", { headers: { authorization: `Bearer ${tokens.access_token}` } });
  expect(res.status()).toBe(401);
});
