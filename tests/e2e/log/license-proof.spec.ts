import { expect, test, type Page } from "@playwright/test";
import { useSharedSession } from "../support/sign-in";
import { demoAccounts } from "../../../lib/seed/demo-accounts";

/** How far the page's content (the site's header aside) is wider than the screen. */
const mainOverflow = (page: Page) =>
  page.evaluate(() => {
    const main = document.querySelector("main") as HTMLElement;
    return main.scrollWidth - main.clientWidth;
  });

test("a theater admin sees its license's log entry, and the public log page proves it in the browser at 390 px", async ({
  page,
}) => {
  await useSharedSession(page, demoAccounts.theaterAdmin.email);
  await page.goto("/licensing");
  await page.getByTestId(`theater-${demoAccounts.theater.slug}`).getByTestId("buy-plan-Stage").click();
  await page.getByLabel("Test card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: /^Pay / }).click();
  await expect(page).toHaveURL(/\/licensing\?paid=lic_/);
  const licenseId = new URL(page.url()).searchParams.get("paid") as string;

  // Logged at once; integrated within the integrator's next round (a reload shows it).
  const receipt = page.getByTestId(`license-${licenseId}`).getByTestId("license-log-receipt");
  await expect(async () => {
    await page.reload();
    await expect(receipt).toHaveAttribute("data-status", "integrated", { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(receipt).toContainText(
    /This license: logged as entry \d+ of the public log, checkpoint of .* UTC, not witnessed/,
  );
  const index = await receipt.getAttribute("data-index");

  // The public page, as a phone shows it: the entry, its proof, checked here with WebCrypto.
  await page.setViewportSize({ width: 390, height: 844 });
  await receipt.getByRole("link", { name: `entry ${index}` }).click();
  await expect(page).toHaveURL(new RegExp(`/log\\?entry=${index}$`));
  await expect(page.getByTestId("entry-body")).toContainText(licenseId);
  await expect(page.getByTestId("entry-body")).toContainText('"action": "license.activated"');
  await page.getByTestId("verify-in-browser").click();
  await expect(page.getByTestId("browser-verdict")).toHaveAttribute("data-verdict", "verified");
  await expect(page.getByTestId("inclusion-verdict")).toHaveText("verified");
  await expect(page.getByTestId("signature-verdict")).toHaveText("verified");
  expect(await mainOverflow(page)).toBe(0);

  // Look-up by the license's id lists its entries; the latest checkpoint says honestly that it is not witnessed.
  await page.getByTestId("log-lookup").fill(licenseId);
  await page.getByRole("button", { name: "Look up" }).click();
  await expect(page.getByTestId("log-entries").first()).toContainText("license.activated");
  await expect(page.getByTestId("checkpoint-witnesses")).toContainText(/not witnessed/i);
  expect(await mainOverflow(page)).toBe(0);
});
