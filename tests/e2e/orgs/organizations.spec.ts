import { expect, test, type Page } from "@playwright/test";
import { queryE2e } from "../support/database";
import { mailText, signInWithEmailCode } from "../support/sign-in";
import {
  captureAction,
  createTestOrg,
  grantRoleInRow,
  replayAction,
  revokeRoleInRow,
  signInAsNew,
  uniqueSuffix,
} from "./fixtures";

async function lastInvitationLink(email: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const rows = await queryE2e<{ sealedContent: string | null }>(
      `SELECT "sealedContent" FROM "MailMessage" WHERE "to" = $1 AND "template" = 'org-invitation' ORDER BY "createdAt" DESC LIMIT 1`,
      [email],
    );
    const match = rows[0] && mailText(rows[0].sealedContent).match(/https?:\/\/\S+\/invitations\/[A-Za-z0-9_-]+/);
    if (match) return new URL(match[0]).pathname;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no invitation mailed to ${email}`);
}

async function invite(page: Page, email: string) {
  await page.locator('[data-testid="invite-form"] input[name="email"]').fill(email);
  await page.locator('[data-testid="invite-form"] button[type="submit"]').click();
  await expect(page.locator('[data-testid="invite-form"] [data-testid="form-success"]')).toHaveText(
    `Invitation sent to ${email}.`,
  );
}

test("an org admin creates a host, which starts pending", async ({ page }) => {
  await signInAsNew(page, { label: "admin", roles: ["ORG_ADMIN"] });
  await page.goto("/orgs/new");
  const slug = `host-${uniqueSuffix()}`;
  await page.fill("#name", "Harbour Host");
  await page.fill("#slug", slug);
  await page.selectOption("#kind", "HOST");
  await page.locator('[data-testid="create-org-form"] button[type="submit"]').click();
  await page.waitForURL(`/orgs/${slug}`);
  await expect(page.getByTestId("org-name")).toHaveText("Harbour Host");
  await expect(page.getByTestId("org-status")).toHaveText("pending");

  await page.goto("/orgs/new");
  await page.fill("#name", "Duplicate");
  await page.fill("#slug", slug);
  await page.locator('[data-testid="create-org-form"] button[type="submit"]').click();
  await expect(page.getByTestId("form-error")).toHaveText(`The slug "${slug}" is taken.`);
  await expect(page.getByTestId("form-error")).toHaveAttribute("data-code", "CONFLICT");
});

test("a theater admin invites by email; only the invited address can accept, once", async ({
  page,
  browser,
  request,
}) => {
  const theater = await createTestOrg("THEATER");
  const inviteeEmail = `invitee-${uniqueSuffix()}@e2e.test`;
  const otherContext = await browser.newContext();
  const inviteeContext = await browser.newContext();
  const [other, invitee] = await Promise.all([otherContext.newPage(), inviteeContext.newPage()]);
  // Three people sign in, independently of one another: side by side, so the test's time is not three sign-ins
  // in a row. The invitee's account is new, made by signing in with the emailed code.
  await Promise.all([
    signInAsNew(page, { label: "theater", memberOf: { id: theater.id, kind: "THEATER" } }),
    signInAsNew(other, { label: "other" }),
    signInWithEmailCode(invitee, inviteeEmail),
  ]);
  await page.goto(`/orgs/${theater.slug}`);
  await invite(page, inviteeEmail);
  await expect(page.getByTestId("invitation-list")).toContainText(inviteeEmail);
  const link = await lastInvitationLink(inviteeEmail);

  // Someone else, signed in, sees that the link is not theirs, and the accept action refuses them.
  await other.goto(link);
  await expect(other.getByTestId("invitation-wrong-account")).toBeVisible();

  // The invitee accepts.
  await invitee.goto(link);
  // Hold the invitee's first accept back, to replay it as the other user first.
  let held = true;
  await invitee.route(`**${link}`, (route) =>
    held && route.request().method() === "POST" ? route.abort() : route.continue(),
  );
  const accept = await captureAction(invitee, () =>
    invitee.locator('[data-testid="accept-form"] button[type="submit"]').click(),
  );
  held = false;
  expect(await replayAction(other.request, accept)).toContain('"code":"FORBIDDEN"');
  expect(await replayAction(request, accept)).toContain('"code":"UNAUTHENTICATED"');

  await invitee.goto(link);
  await invitee.locator('[data-testid="accept-form"] button[type="submit"]').click();
  await invitee.waitForURL(`/orgs/${theater.slug}`);
  await expect(invitee.getByTestId("member-list")).toContainText(inviteeEmail);
  await invitee.goto(link);
  await expect(invitee.getByTestId("invitation-state")).toHaveText("This invitation has already been used.");
  expect(await replayAction(invitee.request, accept)).toContain('"code":"GONE"');

  await otherContext.close();
  await inviteeContext.close();
});

test("a theater admin withdraws an invitation and removes a member", async ({ page }) => {
  const theater = await createTestOrg("THEATER");
  await signInAsNew(page, { label: "theater", memberOf: { id: theater.id, kind: "THEATER" } });
  const [colleague] = await queryE2e<{ id: string; email: string }>(
    `INSERT INTO "User" ("id","email","emailVerifiedAt") VALUES ($1,$2,now()) RETURNING "id","email"`,
    [`usr_e2e_c${uniqueSuffix()}`, `colleague-${uniqueSuffix()}@e2e.test`],
  );
  await queryE2e(`INSERT INTO "Membership" ("orgId","userId","role") VALUES ($1,$2,'THEATER_ADMIN')`, [
    theater.id,
    colleague.id,
  ]);
  await page.goto(`/orgs/${theater.slug}`);
  const email = `withdrawn-${uniqueSuffix()}@e2e.test`;
  await invite(page, email);
  const row = page.getByTestId("invitation-list").locator("tr", { hasText: email });
  await row.locator('button[type="submit"]').click();
  // Withdrawn invitations leave the pending list.
  await expect(page.getByTestId("invitation-list").getByText(email)).toHaveCount(0);
  const link = await lastInvitationLink(email);
  expect(
    await queryE2e(`SELECT 1 FROM "Invitation" WHERE "email" = $1 AND "revokedAt" IS NOT NULL`, [email]),
  ).toHaveLength(1);

  await page.getByTestId(`remove-${colleague.email}`).locator('button[type="submit"]').click();
  await expect(page.getByTestId("member-list")).not.toContainText(colleague.email);
  expect(link).toMatch(/^\/invitations\//);
});

test("an org admin grants and revokes roles and browses the verified audit chain", async ({ page }) => {
  const admin = await signInAsNew(page, { label: "admin", roles: ["ORG_ADMIN"] });
  const [target] = await queryE2e<{ id: string; email: string }>(
    `INSERT INTO "User" ("id","email") VALUES ($1,$2) RETURNING "id","email"`,
    [`usr_e2e_t${uniqueSuffix()}`, `target-${uniqueSuffix()}@e2e.test`],
  );
  await page.goto("/admin");
  await expect(page.getByTestId("admin-dashboard")).toBeVisible();
  await page.goto(`/admin/users?q=${encodeURIComponent(target.email)}`);
  const row = page.getByTestId(`user-${target.email}`);
  await grantRoleInRow(row, "COMMITTER");
  await expect(row.getByTestId("revoke-COMMITTER")).toBeVisible();
  await revokeRoleInRow(row, "COMMITTER");
  await expect(row.getByTestId("revoke-COMMITTER")).toHaveCount(0);

  await page.goto(`/admin/audit?subjectId=${target.id}`);
  await expect(page.getByTestId("chain-status")).toHaveAttribute("data-ok", "true");
  const events = page.getByTestId("audit-event");
  await expect(events).toHaveCount(2);
  await expect(events.nth(0)).toContainText("role.revoked");
  await expect(events.nth(1)).toContainText("role.granted");
  // The actor by name or address, not by id; the id stays in the filter link.
  await expect(events.nth(0)).toContainText(admin.email);
  await expect(events.nth(0)).not.toContainText(`user:${admin.id}`);

  await page.goto(`/admin/audit?action=role.&actorId=${admin.id}`);
  await expect(page.getByTestId("audit-event")).toHaveCount(2);
  await page.goto(`/admin/audit?before=1`);
  await expect(page.getByTestId("audit-event")).toHaveCount(0);
});
