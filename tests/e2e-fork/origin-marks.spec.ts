import { expect, test } from "@playwright/test";
import { demoAccounts } from "@/lib/seed/demo-accounts";
import { queryE2e } from "../e2e/support/database";
import { signInWithEmailCode } from "../e2e/support/sign-in";

/**
 * A fork's pages in Chromium (docs/EXPORTS.md, "The fork's pages say which records came from the origin"): the
 * portal serves a database forked from an origin by `org import` (scripts/e2e-fork-origin.mjs), whose demo
 * organization and OpenID client came from the origin and one client was made at the fork. Each page opens with
 * the fork's notice, marks the origin's records `from <origin host>` (linked to the log's account of the fork)
 * and leaves the fork's own unmarked.
 */
test("a fork's pages mark the records that came from the origin, and none of its own", async ({ page }) => {
  const [origin] = await queryE2e<{ issuer: string; treeSize: number }>(
    `SELECT issuer, "treeSize"::int AS "treeSize" FROM "ForkOrigin"`,
  );
  const mark = `from ${new URL(origin.issuer).host}`;

  // The public log, at the fork's start: the origin's last entry is marked, the fork's opening entry is not.
  await page.goto(`/log?before=${origin.treeSize + 1}`);
  const entry = (index: number) =>
    page.getByTestId("log-entries").locator("tr", { has: page.locator(`a[href="/log?entry=${index}"]`) });
  await expect(entry(origin.treeSize - 1).getByTestId("from-origin")).toHaveText(mark);
  await expect(entry(origin.treeSize)).toContainText("org.forked");
  await expect(entry(origin.treeSize).getByTestId("from-origin")).toHaveCount(0);
  // The mark leads to what the fork holds of its origin: the origin, its log's size and root.
  await entry(origin.treeSize - 1)
    .getByTestId("from-origin")
    .click();
  await expect(page).toHaveURL(/\/log#fork-origins$/);
  await expect(page.getByTestId("fork-origin")).toContainText(`This Guildhall is a fork of ${origin.issuer}`);
  await expect(page.getByTestId("fork-origin")).toContainText(`entries 0 to ${origin.treeSize - 1}`);

  // The host's operator, who came with the fork, signs in here by email code.
  await signInWithEmailCode(page, demoAccounts.hostOperator.email);
  await page.goto("/orgs");
  await expect(page.getByTestId("fork-notice")).toContainText(`This Guildhall is a fork of ${origin.issuer}`);
  await expect(
    page.getByTestId("org-list").locator("tr", { hasText: demoAccounts.host.name }).getByTestId("from-origin"),
  ).toHaveText(mark);

  // The host's OpenID clients: the origin's marked, the one made at the fork not.
  await page.goto(`/orgs/${demoAccounts.host.slug}/clients`);
  await expect(page.getByTestId("fork-notice")).toBeVisible();
  const clients = page.getByTestId("host-clients");
  await expect(clients.locator("tr", { hasText: "Box office of the origin" }).getByTestId("from-origin")).toHaveText(
    mark,
  );
  await expect(clients.locator("tr", { hasText: "Box office of the fork" })).toHaveCount(1);
  await expect(clients.locator("tr", { hasText: "Box office of the fork" }).getByTestId("from-origin")).toHaveCount(0);
});
