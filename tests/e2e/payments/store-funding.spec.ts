import crypto from "node:crypto";
import { expect, test } from "@playwright/test";
import * as oidc from "openid-client";
import { queryE2e } from "../support/database";
import { pageWithSharedSession } from "../support/sign-in";
import { authorizeInContext, createOidcClient, relyingParty, startAuthorization } from "../support/oidc";
import { runOperatorCli } from "../support/operator-cli";
import { createTestOrg, createTestUser, uniqueSuffix } from "../orgs/fixtures";
import { appleTestSignerIn } from "../../support/app-store-signer";
import { signAppleNotification } from "../../support/store-notifications";
import { defined } from "../../support/defined";

/**
 * Funding a release line through an App Store subscription (issue 19), on the built portal, which trusts the
 * tests' own Apple root (playwright.config.ts): the operator maps a funding product, the funder's app signs in
 * through OIDC and gets the account's app account token, Apple's signed notification of the purchase is posted
 * to the webhook (signed here with the root's leaf, checked there by Apple's library), and people see it: the
 * funder names themselves on their funding page, the line's page shows the channel, the funder and how long the
 * funds cover the hosts, and finance sees the payment with the store's commission. In USD, on a line and host
 * of its own: nothing the EUR payout journey (payments.spec.ts) batches or reconciles.
 */
const APP_REDIRECT = "http://localhost:5557/app-callback";

test("a funder's App Store subscription funds a line: the line's page shows channel, funder and coverage; finance sees the commission", async ({
  page,
  browser,
  baseURL,
}) => {
  // A line that an admitted host of its own runs, at a declared 10.00 USD a month (as seedReleaseLineRunBy does).
  const host = await createTestOrg("HOST");
  const operator = await createTestUser({ label: "operator", memberOf: { id: host.id, kind: "HOST" } });
  const suffix = uniqueSuffix();
  const line = `app-line-${suffix}`;
  const lineId = `rl_e2e_${suffix}`;
  await queryE2e(`INSERT INTO "ReleaseLine" ("id", "name", "description") VALUES ($1, $2, 'An e2e line.')`, [
    lineId,
    line,
  ]);
  await queryE2e(
    `INSERT INTO "HostReleaseDeclaration" ("hostOrgId", "releaseLineId", "releaseId", "declaredById", "declaredAt", "monthlyCostMinor", "costCurrency")
     VALUES ($1, $2, 'rel_e2e', $3, now(), 1000, 'USD')`,
    [host.id, lineId, operator.id],
  );
  // The operator maps the app's monthly subscription product to funding of the line; the funder signs in (and
  // finance, for later); the app is registered as an OIDC public client with pairwise subjects. Side by side:
  // none needs another.
  const productId = `org.guildhall.e2e.fund.${line}`;
  const funder = await createTestUser({ label: "funder" });
  const [, app, funderPage, finance] = await Promise.all([
    runOperatorCli(["appstore", "product", "add", "--store", "apple", "--product-id", productId, "--fund-line", line]),
    createOidcClient([
      "--name",
      "Guildhall app",
      "--redirect-uri",
      APP_REDIRECT,
      "--auth-method",
      "none",
      "--subject",
      "pairwise",
    ]),
    pageWithSharedSession(browser, funder.email),
    pageWithSharedSession(browser, "finance@guildhall.test"),
  ]);

  // The funder signs in to the app and asks for the app account token the app sets on its purchases.
  const rp = await relyingParty(defined(baseURL), app);
  const start = await startAuthorization(rp, { redirect_uri: APP_REDIRECT, scope: "openid" });
  const tokens = await oidc.authorizationCodeGrant(rp, await authorizeInContext(funderPage.request, start.url), {
    pkceCodeVerifier: start.verifier,
    expectedState: start.state,
    expectedNonce: start.nonce,
  });
  const issued = await page.request.post("/api/v1/app-account-token", {
    headers: { authorization: `Bearer ${tokens.access_token}` },
  });
  expect(issued.status(), await issued.text()).toBe(200);
  const { appAccountToken } = (await issued.json()) as { appAccountToken: string };

  // Apple's notification of the purchase: 9.99 USD a month, signed as the App Store signs (its chain in x5c).
  const sign = await appleTestSignerIn(defined(process.env.E2E_APPLE_PKI_DIR));
  const now = Date.now();
  const transactionId = String(2_000_000_000 + crypto.randomInt(1_000_000_000));
  const signedPayload = await signAppleNotification({
    sign,
    type: "SUBSCRIBED",
    subtype: "INITIAL_BUY",
    bundleId: defined(process.env.E2E_APPLE_BUNDLE_ID),
    transaction: {
      transactionId,
      originalTransactionId: transactionId,
      bundleId: process.env.E2E_APPLE_BUNDLE_ID,
      productId,
      purchaseDate: now,
      originalPurchaseDate: now,
      expiresDate: now + 30 * 86_400_000,
      quantity: 1,
      type: "Auto-Renewable Subscription",
      inAppOwnershipType: "PURCHASED",
      signedDate: now,
      environment: "Sandbox",
      transactionReason: "PURCHASE",
      storefront: "USA",
      currency: "USD",
      price: 9990,
      appAccountToken,
    },
  });
  // Tampered with (another signature), it is refused and records nothing; as signed, it is recorded once.
  const [head, body] = signedPayload.split(".");
  const forged = `${head}.${body}.${Buffer.alloc(64, 7).toString("base64url")}`;
  const refused = await page.request.post("/api/webhooks/apple", { data: { signedPayload: forged } });
  expect(refused.status()).toBe(400);
  expect((await refused.json()).error.reason).toBe("BAD_SIGNATURE");
  for (const duplicate of [false, true]) {
    const res = await page.request.post("/api/webhooks/apple", { data: { signedPayload } });
    expect(res.status(), await res.text()).toBe(200);
    expect(await res.json()).toMatchObject({ duplicate });
  }

  // The funder's page: the line, paid in the App Store (stopped there); they choose the name the line shows.
  await funderPage.goto("/account/funding");
  const own = funderPage.getByTestId("own-fundings").getByRole("row", { name: new RegExp(`the ${line} line`) });
  await expect(own).toContainText("Paid in the App Store");
  await own.getByLabel("Name on the line's page (empty: Anonymous)").fill("Grace E.");
  await own.getByRole("button", { name: "Save" }).click();
  await expect(own.getByRole("status")).toBeVisible();

  // The line's page, to anyone: the host, the funder by that name through the App Store, and the coverage:
  // 9.99 less Apple's 15% (1.50) received, 0.8 of the host's declared month.
  await page.goto(`/funding/${line}`);
  await expect(page.getByTestId("line-hosts")).toContainText(host.name);
  const row = page.getByTestId("line-funders").getByRole("row", { name: /Grace E\./ });
  await expect(row).toContainText("App Store subscription");
  await expect(row).toContainText("$9.99 a month");
  await expect(row).toContainText("renewing monthly");
  await expect(page.getByTestId("line-coverage")).toContainText(
    "The hosts declare $10.00 a month; monthly funding brings $9.99 (99% of it). Received so far, after the payment provider's fees: $8.49, 0.8 months of the hosts' declared cost.",
  );

  // Finance: the payment, through the App Store, with its commission; refunded only through the store.
  await finance.goto("/finance/fundings");
  const payment = finance.getByTestId("funding-payment").filter({ hasText: line });
  await expect(payment).toContainText("the App Store");
  await expect(payment).toContainText("$9.99");
  await expect(payment).toContainText("$1.50");
  await payment.getByRole("link").click();
  await expect(finance.getByText("Store commission")).toBeVisible();
  await expect(finance.getByTestId("refund-through-store")).toContainText("Paid in the App Store");
});
