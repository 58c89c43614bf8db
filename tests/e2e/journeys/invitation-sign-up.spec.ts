import crypto from "node:crypto";
import { expect, test } from "@playwright/test";
import { queryE2e } from "../support/database";
import { lastSignInCode, mailText, useSharedSession } from "../support/sign-in";
import { addVirtualAuthenticator } from "../support/virtual-authenticator";
import { demoAccounts } from "../../../lib/seed/demo-accounts";

async function lastInvitationLink(email: string): Promise<string> {
  for (let i = 0; i < 150; i++) {
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

test("a person invited by email opens the link signed out, signs up through it, confirms the address and joins", async ({
  browser,
}) => {
  const admin = await (await browser.newContext()).newPage();
  await useSharedSession(admin, demoAccounts.theaterAdmin.email);
  await admin.goto(`/orgs/${demoAccounts.theater.slug}`);
  const email = `bob-${crypto.randomBytes(4).toString("hex")}@example.test`;
  await admin.locator('[data-testid="invite-form"] input[name="email"]').fill(email);
  await admin.locator('[data-testid="invite-form"] button[type="submit"]').click();
  await expect(admin.locator('[data-testid="invite-form"] [data-testid="form-success"]')).toBeVisible();
  const link = await lastInvitationLink(email);

  const page = await (await browser.newContext()).newPage();
  await page.goto(link);
  // Signed out: the sign-in page says what the invitation is and which address to use.
  await expect(page).toHaveURL(/\/sign-in/);
  const context = page.getByTestId("invitation-context");
  await expect(context).toContainText(`You are invited to join ${demoAccounts.theater.name} as theater admin.`);
  await expect(context).toContainText(email);
  await page.getByRole("link", { name: "Create an account with a passkey" }).click();
  await expect(page.getByTestId("invitation-context")).toContainText(demoAccounts.theater.name);

  await addVirtualAuthenticator(page);
  await page.getByLabel("Your name").fill("Bob Invitee");
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Create account with a passkey" }).click();
  await expect(page).toHaveURL(new RegExp(`${link}$`), { timeout: 30_000 });

  // The real obstacle, an unconfirmed address, is named, with the way to confirm it on the same page.
  await expect(page.getByTestId("invitation-confirm-email")).toBeVisible();
  await expect(page.getByTestId("invitation-wrong-account")).toHaveCount(0);
  await page.getByLabel("Confirmation code").fill(await lastSignInCode(email, "verify-email"));
  await page.getByRole("button", { name: "Confirm" }).click();
  await page.getByRole("button", { name: "Accept invitation" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${demoAccounts.theater.slug}$`));
  const [member] = await queryE2e<{ role: string }>(
    `SELECT m."role" FROM "Membership" m JOIN "User" u ON u."id" = m."userId" WHERE u."email" = $1`,
    [email],
  );
  expect(member.role).toBe("THEATER_ADMIN");
});
