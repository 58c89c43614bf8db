import crypto from "node:crypto";
import { expect, test, type Browser } from "@playwright/test";
import { queryE2e } from "../support/database";
import { pageWithSharedSession, useSharedSession } from "../support/sign-in";
import { demoAccounts } from "../../../lib/seed/demo-accounts";

/**
 * Irreversible acts ask first: a dialog says what will happen and takes a
 * typed reason, Cancel changes nothing, and after the act the page says what
 * happened. The reason is in the act's audit event.
 */
async function lastAuditData(action: string, subjectId: string): Promise<Record<string, unknown> | undefined> {
  const rows = await queryE2e<{ data: Record<string, unknown> }>(
    `SELECT "data" FROM "AuditEvent" WHERE "action" = $1 AND "subjectId" = $2 ORDER BY "queued" DESC LIMIT 1`,
    [action, subjectId],
  );
  return rows[0]?.data;
}

test("an org admin revokes a role, grants one and disables the account only after confirming with a reason, and is told each happened", async ({
  browser,
}) => {
  const email = `role-${crypto.randomBytes(4).toString("hex")}@guildhall.test`;
  const id = `usr_${crypto.randomBytes(12).toString("base64url")}`;
  await queryE2e(`INSERT INTO "User" ("id", "email", "name", "emailVerifiedAt") VALUES ($1, $2, 'Rolf Role', now())`, [
    id,
    email,
  ]);
  await queryE2e(`INSERT INTO "UserRole" ("userId", "role") VALUES ($1, 'COMMITTER')`, [id]);
  const admin = await pageWithSharedSession(browser, demoAccounts.admin.email);
  await admin.goto(`/admin/users?q=${encodeURIComponent(email)}`);
  const row = admin.getByTestId(`user-${email}`);
  await row.getByRole("button", { name: /^Revoke committer/ }).click();
  const dialog = admin.getByRole("dialog", { name: `Revoke the committer (non-binding vote) role from ${email}?` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  expect(await queryE2e(`SELECT 1 FROM "UserRole" WHERE "userId" = $1`, [id])).toHaveLength(1);

  await row.getByRole("button", { name: /^Revoke committer/ }).click();
  // Without a reason the browser keeps the dialog open and nothing is sent.
  await dialog.getByRole("button", { name: "Revoke the role" }).click();
  await expect(dialog).toBeVisible();
  expect(await queryE2e(`SELECT 1 FROM "UserRole" WHERE "userId" = $1`, [id])).toHaveLength(1);
  await dialog.getByLabel("Reason (kept in the audit log)").fill("Stepped down from the committee");
  await dialog.getByRole("button", { name: "Revoke the role" }).click();
  await expect(admin.getByTestId("notice")).toHaveText(/Revoked the committer \(non-binding vote\) role\./);
  await expect(row.getByRole("button", { name: /^Revoke committer/ })).toHaveCount(0);
  expect(await lastAuditData("role.revoked", id)).toMatchObject({
    role: "COMMITTER",
    reason: "Stepped down from the committee",
  });

  await row.getByRole("button", { name: "Grant a role…" }).click();
  const grant = admin.getByRole("dialog", { name: `Grant a role to ${email}` });
  await grant.getByLabel("Role to grant").selectOption("FINANCE");
  await grant.getByLabel("Reason (kept in the audit log)").fill("Joins the finance team");
  await grant.getByRole("button", { name: "Grant the role" }).click();
  await expect(admin.getByTestId("notice")).toHaveText(/Granted the finance role\./);
  expect(await lastAuditData("role.granted", id)).toMatchObject({ role: "FINANCE", reason: "Joins the finance team" });

  await row.getByRole("button", { name: "Disable account…" }).click();
  const disable = admin.getByRole("dialog", { name: `Disable the account of ${email}?` });
  await expect(disable.getByText(/signed out everywhere/)).toBeVisible();
  await disable.getByRole("button", { name: "Cancel" }).click();
  expect(await queryE2e(`SELECT 1 FROM "User" WHERE "id" = $1 AND "disabledAt" IS NULL`, [id])).toHaveLength(1);
  await row.getByRole("button", { name: "Disable account…" }).click();
  await disable.getByLabel("Reason (kept in the audit log)").fill("Left the organization");
  await disable.getByRole("button", { name: "Disable the account" }).click();
  await expect(admin.getByTestId("notice")).toHaveText(/Account disabled/);
  await expect(row).toContainText("disabled");
  await expect(row.getByRole("button", { name: "Disable account…" })).toHaveCount(0);
  expect(await lastAuditData("user.disabled", id)).toMatchObject({ reason: "Left the organization" });
});

test("a revoked API token's secret leaves the screen", async ({ page }) => {
  await useSharedSession(page, demoAccounts.theaterAdmin.email);
  await page.goto("/licensing");
  const theater = page.getByTestId(`theater-${demoAccounts.theater.slug}`);
  const name = `journeys ${crypto.randomBytes(3).toString("hex")}`;
  await theater.getByLabel("Token name").fill(name);
  await theater.getByRole("button", { name: "Make API token" }).click();
  await expect(theater.getByTestId("api-token")).toBeVisible();
  const [token] = await queryE2e<{ id: string; orgId: string }>(
    `SELECT "id", "orgId" FROM "TheaterApiToken" WHERE "name" = $1`,
    [name],
  );
  await theater.getByTestId(`revoke-token-${token.id}`).getByRole("button", { name: "Revoke", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Revoke the token “${name}”?` });
  await dialog.getByLabel("Reason (kept in the audit log)").fill("Rotating the box office token");
  await dialog.getByRole("button", { name: "Revoke the token" }).click();
  await expect(page.getByTestId("notice")).toHaveText(new RegExp(`Token “${name}” revoked`));
  await expect(theater.getByTestId("api-token")).toHaveCount(0);
  expect(await lastAuditData("theater_api_token.revoked", token.orgId)).toMatchObject({
    tokenId: token.id,
    reason: "Rotating the box office token",
  });
});

/**
 * A paid license of the demo theater, bought through the API as its admin and paid with the simulated provider's
 * test card: the checkout's pages have their own spec (tests/e2e/licensing/buy-and-certify.spec.ts), and walking
 * them here too made this test run past its time on a loaded machine.
 */
async function paidDemoLicense(browser: Browser, baseURL: string): Promise<string> {
  const page = await (await browser.newContext({ extraHTTPHeaders: { origin: baseURL } })).newPage();
  await useSharedSession(page, demoAccounts.theaterAdmin.email);
  const [{ orgId, planId }] = await queryE2e<{ orgId: string; planId: string }>(
    `SELECT o."id" AS "orgId", p."id" AS "planId" FROM "Organization" o, "LicensePlan" p WHERE o."slug" = $1 AND p."name" = 'Stage'`,
    [demoAccounts.theater.slug],
  );
  const started = await page.request.post("/api/licensing/licenses", { data: { theaterOrgId: orgId, planId } });
  expect(started.ok(), await started.text()).toBe(true);
  const { licenseId, checkoutId } = (await started.json()) as { licenseId: string; checkoutId: string };
  const paid = await page.request.post(`/api/pay/simulated/${checkoutId}`, {
    form: { card: "4242424242424242" },
    maxRedirects: 0,
  });
  // A hosted checkout's answer: back to the licensing page with the license paid (a decline would go back to the form).
  expect(paid.headers().location).toContain(`/licensing?paid=${licenseId}`);
  await page.context().close();
  return licenseId;
}

test("revoking a suspended license asks for its own reason, never the suspension's", async ({ browser, baseURL }) => {
  // The theater's purchase and the org admin's sign-in are independent: made side by side.
  const [licenseId, admin] = await Promise.all([
    paidDemoLicense(browser, baseURL ?? ""),
    pageWithSharedSession(browser, demoAccounts.admin.email),
  ]);
  await admin.goto("/admin/licensing");
  const row = admin.getByTestId(`admin-license-${licenseId}`);
  await row.getByRole("button", { name: "Suspend", exact: true }).click();
  const suspend = admin.getByRole("dialog", { name: "Suspend this license?" });
  await suspend.getByLabel("Reason (kept in the audit log)").fill("Chargeback under review");
  await suspend.getByRole("button", { name: "Suspend the license" }).click();
  await expect(admin.getByTestId("notice")).toHaveText(/License suspended/);
  await expect(row.getByRole("button", { name: "Reinstate", exact: true })).toBeVisible();

  await row.getByRole("button", { name: "Revoke", exact: true }).click();
  const revoke = admin.getByRole("dialog", { name: "Revoke this license for good?" });
  await expect(revoke.getByText(/This cannot be undone/)).toBeVisible();
  await expect(revoke.getByLabel("Reason (kept in the audit log)")).toHaveValue("");
  await revoke.getByLabel("Reason (kept in the audit log)").fill("Chargeback lost, license ended");
  await revoke.getByRole("button", { name: "Revoke the license" }).click();
  await expect(admin.getByTestId("notice")).toHaveText(/License revoked/);
  await expect(row).toContainText("Chargeback lost, license ended");
  await expect(row.getByRole("button", { name: "Revoke", exact: true })).toHaveCount(0);

  // The license list's filters: the revoked license is found among the revoked ones, and not among the active.
  await admin.getByLabel("State").selectOption("revoked");
  await admin.getByRole("button", { name: "Filter" }).click();
  await expect(admin).toHaveURL(/state=revoked/);
  await expect(row).toBeVisible();
  await admin.goto("/admin/licensing?state=active");
  await expect(admin.getByTestId("licenses").or(admin.getByTestId("no-licenses"))).toBeVisible();
  await expect(row).toHaveCount(0);
});
