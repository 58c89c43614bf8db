import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { useSharedSession } from "../support/sign-in";
import { checkPage, journeyTimeoutMs, reportPageTimes } from "../support/journey";
import { demoAccounts } from "../../../lib/seed/demo-accounts";
import { verifyReceipt, type Jwk } from "../../../tools/receipt-verify/verify-receipt";

async function saveDownload(page: Page, testId: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testId).first().click()]);
  return fs.readFileSync(await download.path(), "utf8");
}

/**
 * The way out, in the browser: a buyer pays for a license and downloads its
 * signed receipt, which verifies offline against the published receipt keys;
 * the same person downloads everything Guildhall holds about them; as the
 * theater's admin they download its signed backup. On the way, a release line's public funding page,
 * their own funding page, and the theater's webhooks (subscribed first, so its deliveries are listed).
 */
test("a buyer downloads a receipt, their data export and the theater's backup", async ({ page }, testInfo) => {
  test.setTimeout(journeyTimeoutMs);
  await useSharedSession(page, demoAccounts.theaterAdmin.email);
  // The theater's webhooks first, so the license bought below is an event with a delivery on the page.
  const webhooks = `/orgs/${demoAccounts.theater.slug}/webhooks`;
  await page.goto(webhooks);
  await page.getByLabel("URL (https)").fill("https://localhost:9/guildhall-events");
  await page.getByTestId("subscribe-form").getByRole("button", { name: "Subscribe" }).click();
  await expect(page.getByTestId("delivery-log").first()).toBeVisible();
  await page.goto("/licensing");
  await page.getByTestId(`theater-${demoAccounts.theater.slug}`).getByTestId("buy-plan-Stage").click();
  await expect(page).toHaveURL(/\/pay\/simulated\//);
  const orderId = new URL(page.url()).pathname.split("/").pop();
  await page.getByLabel("Test card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: /^Pay / }).click();
  await expect(page).toHaveURL(/\/licensing\?paid=lic_/);

  await page.goto("/account/purchases");
  const receipts = page.getByTestId("purchases");
  await expect(receipts.locator(`li[data-order="${orderId}"]`)).toBeVisible();
  await checkPage(page, testInfo, "purchases");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    receipts.locator(`li[data-order="${orderId}"]`).getByRole("link", { name: "Download receipt" }).click(),
  ]);
  const jws = fs.readFileSync(await download.path(), "utf8").trim();
  const keys = (await (await page.request.get("/.well-known/guildhall/receipt-keys")).json()) as { keys: Jwk[] };
  const claims = verifyReceipt(jws, keys);
  expect(claims).toMatchObject({ order: orderId, kind: "license", price: { currency: "EUR" } });
  expect(claims.theater.slug).toBe(demoAccounts.theater.slug);
  expect(jws).not.toContain(demoAccounts.theaterAdmin.email);

  await page.goto("/account/export");
  await checkPage(page, testInfo, "account export");
  const exported = JSON.parse(await saveDownload(page, "download-export"));
  expect(exported).toMatchObject({ format: "guildhall-account-export", v: 1 });
  expect(exported.profile.email).toBe(demoAccounts.theaterAdmin.email);
  expect(exported.purchases.receipts).toContain(jws);
  expect(JSON.stringify(exported)).not.toContain("tokenHash");

  // Funding: the releases page links each line's funding page; the person's own fundings (none yet).
  await page.goto("/governance/releases");
  await page
    .getByTestId("release-line-main")
    .getByRole("link", { name: /how to fund it/ })
    .click();
  await expect(page).toHaveURL(/\/funding\/main$/);
  await expect(page.getByRole("heading", { name: "Funding the main release line" })).toBeVisible();
  await checkPage(page, testInfo, "line funding");
  await page.goto("/account/funding");
  await expect(page.getByText("You fund nothing yet.")).toBeVisible();
  await checkPage(page, testInfo, "own funding");

  await page.goto(webhooks);
  await checkPage(page, testInfo, "webhooks");
  // Stopping asks for a reason; after it the portal stops retrying the unreachable URL.
  const subscription = page.locator('[data-testid^="subscription-"]').first();
  await subscription.getByRole("button", { name: "Stop", exact: true }).click();
  const stop = page.getByRole("dialog", { name: "Stop this subscription?" });
  await stop.getByLabel("Reason (kept in the audit log)").fill("The journey is over");
  await stop.getByRole("button", { name: "Stop it" }).click();
  await expect(subscription.getByTestId("subscription-status")).toHaveText("disabled");

  await page.goto(`/orgs/${demoAccounts.theater.slug}`);
  const backup = JSON.parse(await saveDownload(page, "download-backup"));
  expect(backup.backup).toMatchObject({
    format: "guildhall-theater-backup",
    theater: { slug: demoAccounts.theater.slug },
  });
  expect(backup.signature.split(".")).toHaveLength(3);
  await reportPageTimes(testInfo);
});
