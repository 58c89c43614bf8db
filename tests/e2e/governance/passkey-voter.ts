import { expect, type Page } from "@playwright/test";
import { addVirtualAuthenticator } from "../support/virtual-authenticator";

/**
 * Gives a signed-in member a passkey the real way: a CDP virtual
 * authenticator in Chromium, and the account page's "Add a passkey" (the
 * auth domain's registration ceremony). Every ballot is then signed by that
 * authenticator through navigator.credentials.get().
 */
export async function registerPasskey(page: Page): Promise<void> {
  await addVirtualAuthenticator(page);
  await page.goto("/account");
  await expect(page.getByTestId("passkey-row")).toHaveCount(0);
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByTestId("passkey-row")).toHaveCount(1);
}
