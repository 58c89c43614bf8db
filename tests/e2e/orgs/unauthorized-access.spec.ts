import { expect, test } from "@playwright/test";
import { queryE2e } from "../support/database";
import { demoAccounts } from "../../../lib/seed/demo-accounts";
import {
  captureAction,
  createTestOrg,
  expectFormError,
  grantRoleInRow,
  replayAction,
  revokeRoleInRow,
  setHidden,
  signInAsNew,
} from "./fixtures";

/**
 * Every page and action of organizations, roles and the admin area refuses
 * the wrong visitor: signed out → sign-in, signed in without the role → the
 * 403 page or FORBIDDEN from the action.
 */
const protectedPages = [
  "/orgs",
  "/orgs/new",
  `/orgs/${demoAccounts.theater.slug}`,
  "/invitations/abcdefghijklmnopqrstuvwxyz0123456789",
  "/admin",
  "/admin/users",
  "/admin/audit",
];

test("signed out, every page redirects to sign-in and back", async ({ request }) => {
  for (const path of protectedPages) {
    const res = await request.get(path, { maxRedirects: 0 });
    expect(res.status(), path).toBe(307);
    expect(res.headers().location, path).toBe(`/sign-in?callbackUrl=${encodeURIComponent(path)}`);
  }
});

test("a signed-in user without ORG_ADMIN gets the 403 page on the admin area", async ({ page }) => {
  await signInAsNew(page, { label: "member", roles: ["MEMBER", "COMMITTER", "FINANCE"] });
  for (const path of ["/admin", "/admin/users", "/admin/audit", "/orgs/new"]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(403);
    await expect(page.getByTestId("forbidden"), path).toBeVisible();
  }
  await page.goto("/orgs");
  await expect(page.getByTestId("no-orgs")).toBeVisible();
});

test("a theater admin sees their theater and gets the 403 page on another organization", async ({ page }) => {
  const mine = await createTestOrg("THEATER");
  const other = await createTestOrg("THEATER");
  await signInAsNew(page, { label: "theater", memberOf: { id: mine.id, kind: "THEATER" } });
  await page.goto("/orgs");
  await expect(page.getByTestId("org-list")).toContainText(mine.name);
  await expect(page.getByTestId("org-list")).not.toContainText(other.name);
  const res = await page.goto(`/orgs/${other.slug}`);
  expect(res?.status()).toBe(403);
  await expect(page.getByTestId("forbidden")).toBeVisible();
});

test("a theater admin of A cannot invite to, remove from, rename or withdraw invitations of B (tampered forms)", async ({
  page,
  request,
}) => {
  const a = await createTestOrg("THEATER");
  const b = await createTestOrg("HOST");
  const [bOperator] = await queryE2e<{ id: string }>(
    `INSERT INTO "User" ("id","email","emailVerifiedAt") VALUES ('usr_e2e_op_' || substr(md5(random()::text),1,8), 'op-' || substr(md5(random()::text),1,8) || '@e2e.test', now()) RETURNING "id"`,
  );
  await queryE2e(`INSERT INTO "Membership" ("orgId","userId","role") VALUES ($1,$2,'HOST_OPERATOR')`, [
    b.id,
    bOperator.id,
  ]);
  await queryE2e(
    `INSERT INTO "Invitation" ("id","orgId","email","role","tokenHash","invitedById","expiresAt") VALUES ($1,$2,'pending-b@e2e.test','HOST_OPERATOR',$3,$4,now() + interval '1 day')`,
    [`inv_e2e_${b.id}`, b.id, `hash-${b.id}`, bOperator.id],
  );
  const me = await signInAsNew(page, { label: "theater", memberOf: { id: a.id, kind: "THEATER" } });
  await queryE2e(
    `INSERT INTO "Invitation" ("id","orgId","email","role","tokenHash","invitedById","expiresAt") VALUES ($1,$2,'pending-a@e2e.test','THEATER_ADMIN',$3,$4,now() + interval '1 day')`,
    [`inv_e2e_${a.id}`, a.id, `hash-${a.id}`, me.id],
  );
  await page.goto(`/orgs/${a.slug}`);

  await setHidden(page, '[data-testid="invite-form"] input[name="orgId"]', b.id);
  await page.locator('[data-testid="invite-form"] input[name="email"]').fill("intruder@e2e.test");
  const invite = await captureAction(page, () =>
    page.locator('[data-testid="invite-form"] button[type="submit"]').click(),
  );
  await expectFormError(page, '[data-testid="invite-form"]', "FORBIDDEN");
  expect(await replayAction(request, invite)).toContain('"code":"UNAUTHENTICATED"');

  await setHidden(page, '[data-testid="rename-form"] input[name="orgId"]', b.id);
  await page.locator('[data-testid="rename-form"] button[type="submit"]').click();
  await expectFormError(page, '[data-testid="rename-form"]', "FORBIDDEN");

  const removeForm = page.locator('[data-testid^="remove-"]').first();
  await removeForm.locator('input[name="orgId"]').evaluate((el, v) => ((el as HTMLInputElement).value = v), b.id);
  await removeForm
    .locator('input[name="userId"]')
    .evaluate((el, v) => ((el as HTMLInputElement).value = v), bOperator.id);
  await removeForm.locator('button[type="submit"]').click();
  await expect(removeForm.getByTestId("form-error")).toHaveAttribute("data-code", "FORBIDDEN");

  const withdraw = page.locator('[data-testid="invitation-list"] form').first();
  await withdraw
    .locator('input[name="invitationId"]')
    .evaluate((el, v) => ((el as HTMLInputElement).value = v), `inv_e2e_${b.id}`);
  await withdraw.locator('button[type="submit"]').click();
  await expect(withdraw.getByTestId("form-error")).toHaveAttribute("data-code", "FORBIDDEN");

  expect(
    await queryE2e(`SELECT 1 FROM "Invitation" WHERE "orgId" = $1 AND "email" = 'intruder@e2e.test'`, [b.id]),
  ).toHaveLength(0);
  expect(
    await queryE2e(`SELECT 1 FROM "Membership" WHERE "orgId" = $1 AND "userId" = $2`, [b.id, bOperator.id]),
  ).toHaveLength(1);
  expect((await queryE2e<{ name: string }>(`SELECT "name" FROM "Organization" WHERE "id" = $1`, [b.id]))[0].name).toBe(
    b.name,
  );
  expect(
    await queryE2e(`SELECT 1 FROM "Invitation" WHERE "id" = $1 AND "revokedAt" IS NULL`, [`inv_e2e_${b.id}`]),
  ).toHaveLength(1);
});

test("org admin actions replayed by a non-admin or a signed-out visitor are refused", async ({
  page,
  browser,
  request,
}) => {
  await signInAsNew(page, { label: "admin", roles: ["ORG_ADMIN"] });
  const target = await signInAsNewInOtherContext(browser, { label: "plain" });
  const row = page.getByTestId(`user-${target.user.email}`);

  // The admin does each thing once, and the request is captured.
  await page.goto(`/admin/users?q=${encodeURIComponent(target.user.email)}`);
  const grant = await captureAction(page, () => grantRoleInRow(row, "FINANCE"));
  await expect(row.getByTestId("revoke-FINANCE")).toBeVisible();
  await queryE2e(`INSERT INTO "UserRole" ("userId","role") VALUES ($1,'MEMBER')`, [target.user.id]);
  await page.reload();
  const revoke = await captureAction(page, () => revokeRoleInRow(row, "MEMBER"));
  await expect(row.getByTestId("revoke-MEMBER")).toHaveCount(0);
  const newEmail = `created-${target.user.id.slice(-8).toLowerCase()}@e2e.test`;
  const createUser = await captureAction(page, async () => {
    await page.locator('[data-testid="create-user-form"] input[name="email"]').fill(newEmail);
    await page.locator('[data-testid="create-user-form"] select[name="role"]').selectOption("ORG_ADMIN");
    await page.locator('[data-testid="create-user-form"] button[type="submit"]').click();
  });
  await expect(page.locator('[data-testid="create-user-form"] [data-testid="form-success"]')).toBeVisible();
  await page.goto("/orgs/new");
  const slug = `replay-${target.user.id
    .slice(-8)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "x")}`;
  const createOrg = await captureAction(page, async () => {
    await page.fill("#name", "Replay Theater");
    await page.fill("#slug", slug);
    await page.locator('[data-testid="create-org-form"] button[type="submit"]').click();
  });
  await page.waitForURL(`/orgs/${slug}`);

  // Put things back so that each replay would change something if it were allowed.
  await queryE2e(`DELETE FROM "UserRole" WHERE "userId" = $1`, [target.user.id]);
  await queryE2e(`INSERT INTO "UserRole" ("userId","role") VALUES ($1,'MEMBER')`, [target.user.id]);
  await queryE2e(`DELETE FROM "User" WHERE "email" = $1`, [newEmail]);
  await queryE2e(`DELETE FROM "Organization" WHERE "slug" = $1`, [slug]);

  for (const action of [grant, revoke, createUser, createOrg]) {
    expect(await replayAction(target.page.request, action)).toContain('"code":"FORBIDDEN"');
    expect(await replayAction(request, action)).toContain('"code":"UNAUTHENTICATED"');
  }
  // Even the admin's own session cannot be used from another site: Next refuses an action whose Origin is not ours.
  const crossSite = await replayAction(page.request, grant, { origin: "https://evil.example" });
  expect(crossSite).not.toContain('"ok":true');
  expect(
    await queryE2e<{ role: string }>(`SELECT "role" FROM "UserRole" WHERE "userId" = $1`, [target.user.id]),
  ).toEqual([{ role: "MEMBER" }]);
  expect(await queryE2e(`SELECT 1 FROM "User" WHERE "email" = $1`, [newEmail])).toHaveLength(0);
  expect(await queryE2e(`SELECT 1 FROM "Organization" WHERE "slug" = $1`, [slug])).toHaveLength(0);
  await target.context.close();
});

async function signInAsNewInOtherContext(
  browser: import("@playwright/test").Browser,
  opts: Parameters<typeof signInAsNew>[1],
) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const user = await signInAsNew(page, opts);
  return { context, page, user };
}
