import { expect, test } from "@playwright/test";
import { signInWithEmailCode } from "../support/sign-in";
import { checkPage, journeyTimeoutMs, reportPageTimes, widths } from "../support/journey";
import { demoAccounts } from "../../../lib/seed/demo-accounts";

/**
 * The org admin's journey, on a phone: the menu holds every section and Sign
 * out; the admin dashboard leads to users, host clients, licensing and the
 * audit log; an unknown address gets the site's own 404.
 */
test.setTimeout(journeyTimeoutMs);

test("org admin: finds every admin page from the menu on a phone, and signs out", async ({ page }, testInfo) => {
  await page.setViewportSize(widths.phone);
  // A session of its own: the journey ends by signing out.
  await signInWithEmailCode(page, demoAccounts.admin.email);
  await page.goto("/");
  await expect(page.locator('link[rel="icon"]').first()).toHaveAttribute("href", /icon/);
  await checkPage(page, testInfo, "home");

  const menu = page.getByTestId("menu");
  await expect(menu).toBeHidden();
  await page.getByRole("button", { name: "Menu" }).click();
  await expect(menu.getByRole("button", { name: "Sign out" })).toBeVisible();
  await menu.getByRole("link", { name: "Admin" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(menu).toBeHidden();
  await checkPage(page, testInfo, "admin");

  for (const [link, path] of [
    ["Users and roles", "/admin/users"],
    ["OpenID clients", "/admin/clients"],
    ["Licensing", "/admin/licensing"],
    ["Audit chain", "/admin/audit"],
  ] as const) {
    await page.goto("/admin");
    await page.getByTestId("admin-dashboard").getByRole("link", { name: link }).click();
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    await checkPage(page, testInfo, path);
  }

  await page.goto("/no-such-page");
  await expect(page.getByTestId("not-found")).toBeVisible();
  await checkPage(page, testInfo, "404");

  await page.getByRole("button", { name: "Menu" }).click();
  await menu.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByTestId("signed-out")).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
  await reportPageTimes(testInfo);
});
