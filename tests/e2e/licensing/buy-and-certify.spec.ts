import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { useSharedSession } from "../support/sign-in";
import { checkPage, journeyTimeoutMs, reportPageTimes } from "../support/journey";
import { createLicenseDocumentVerifier } from "../../../lib/licensing/verify-license-document";
import { demoAccounts } from "../../../lib/seed/demo-accounts";
import { defined } from "../../support/defined";

async function saveDownload(page: Page, testId: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testId).click()]);
  return fs.readFileSync(await download.path(), "utf8");
}

test.setTimeout(journeyTimeoutMs);

/**
 * The theater admin's journey (issue 17): their organization, a plan bought
 * through the checkout, the key made in the browser; every page checked at
 * 1280 and 390 px (tests/e2e/support/journey.ts).
 */
test("a theater admin buys a plan, makes a key in the browser and downloads certificate and license document", async ({
  page,
}, testInfo) => {
  const sentBodies: string[] = [];
  page.on("request", (r) => sentBodies.push(r.postData() ?? ""));
  await useSharedSession(page, demoAccounts.theaterAdmin.email);

  await page.goto(`/orgs/${demoAccounts.theater.slug}`);
  await checkPage(page, testInfo, "theater organization");
  await page.getByRole("link", { name: "Licenses, keys and API tokens" }).click();
  await expect(page).toHaveURL(/\/licensing$/);
  await checkPage(page, testInfo, "licensing");
  const theater = page.getByTestId(`theater-${demoAccounts.theater.slug}`);
  await theater.getByTestId("buy-plan-Stage").click();
  await expect(page).toHaveURL(/\/pay\/simulated\//);
  await expect(page.getByTestId("simulated-banner")).toBeVisible();
  // The theater buys from Guildhall here: the page must not say Guildhall pays the theater.
  await expect(page.getByTestId("payee-line")).toHaveText(
    `${demoAccounts.theater.name} pays Guildhall for its license.`,
  );
  await checkPage(page, testInfo, "license checkout");
  await page.getByLabel("Test card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: /^Pay / }).click();
  await expect(page).toHaveURL(/\/licensing\?paid=lic_/);
  const licenseId = defined(new URL(page.url()).searchParams.get("paid"));

  const license = page.getByTestId(`license-${licenseId}`);
  await expect(license.getByTestId("license-state")).toHaveText("active");
  await expect(page.getByTestId("payment-received")).toContainText(
    `Payment received for the Stage plan of ${demoAccounts.theater.name}.`,
  );
  await expect(page.getByTestId("payment-received")).not.toContainText(licenseId);
  await license.getByTestId("key-algorithm").selectOption("Ed25519");
  await license.getByTestId("make-key-and-certify").click();
  await expect(license.getByTestId("certificate-bundle")).toBeVisible();
  await checkPage(page, testInfo, "licensing with a certificate");

  const keyPem = await saveDownload(page, "download-key");
  const certPem = await saveDownload(page, "download-certificate");
  const chainPem = await saveDownload(page, "download-chain");
  const licenseDocument = await saveDownload(page, "download-license");
  expect(keyPem).toContain("-----BEGIN PRIVATE KEY-----");
  expect(certPem).toContain("-----BEGIN CERTIFICATE-----");
  expect(chainPem.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);

  // The private key never left the browser.
  // PKCS#8 starts with a constant header; the key's own bytes follow it.
  const secretPart = keyPem.replace(/-----[A-Z ]+-----|\s/g, "").slice(24, 56);
  expect(secretPart).toHaveLength(32);
  expect(sentBodies.filter((b) => b.includes("PRIVATE KEY") || b.includes(secretPart))).toEqual([]);

  // The license document verifies offline against the published keys.
  const jwks = await (await page.request.get("/.well-known/guildhall/license-keys.json")).json();
  const verdict = await createLicenseDocumentVerifier(jwks)(licenseDocument.trim());
  expect(verdict).toMatchObject({ valid: true, code: "VALID" });
  if (verdict.valid)
    expect(verdict.value.license).toMatchObject({
      id: licenseId,
      plan: { name: "Stage" },
      entitlements: { venues: 1, seats: 400, showsPerMonth: 30 },
    });

  // The certificate's public status answers good, and the CRL is served at the URL it names.
  const serial = defined(await license.getByTestId("certificate-serial").textContent()).trim();
  expect(await (await page.request.get(`/.well-known/guildhall/certificate-status/${serial}`)).json()).toMatchObject({
    status: "good",
    licenseId,
  });
  const crlUrl = defined(
    /\/\.well-known\/guildhall\/ca\/ca_[\w-]+\.crl/.exec(
      Buffer.from(certPem.replace(/-----[A-Z ]+-----|\s/g, ""), "base64").toString("latin1"),
    ),
  )[0];
  const crl = await page.request.get(crlUrl);
  expect(crl.status()).toBe(200);
  expect(crl.headers()["content-type"]).toBe("application/pkix-crl");
  await reportPageTimes(testInfo);
});
