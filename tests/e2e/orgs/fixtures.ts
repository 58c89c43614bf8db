import crypto from "node:crypto";
import { expect, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { queryE2e } from "../support/database";
import { signInWithEmailCode } from "../support/sign-in";

/**
 * Test users and organizations written straight into the e2e database, each
 * with a unique address, so tests run in parallel and never meet the
 * per-address mail rate limit of the shared demo accounts.
 */
type GlobalRole = "ORG_ADMIN" | "MEMBER" | "COMMITTER" | "FINANCE";

export function uniqueSuffix(): string {
  return crypto.randomBytes(4).toString("hex");
}

export async function createTestOrg(kind: "THEATER" | "HOST", status: "ACTIVE" | "PENDING" = "ACTIVE") {
  const s = uniqueSuffix();
  const org = {
    id: `org_e2e_${s}`,
    slug: `${kind.toLowerCase()}-e2e-${s}`,
    name: `${kind === "THEATER" ? "Theater" : "Host"} ${s}`,
  };
  await queryE2e(`INSERT INTO "Organization" ("id","slug","name","kind","status") VALUES ($1,$2,$3,$4,$5)`, [
    org.id,
    org.slug,
    org.name,
    kind,
    status,
  ]);
  return org;
}

export async function createTestUser(
  opts: { label?: string; roles?: GlobalRole[]; memberOf?: { id: string; kind: "THEATER" | "HOST" } } = {},
) {
  const s = uniqueSuffix();
  const user = { id: `usr_e2e_${s}`, email: `${opts.label ?? "user"}-${s}@e2e.test` };
  await queryE2e(`INSERT INTO "User" ("id","email","name","emailVerifiedAt") VALUES ($1,$2,$3,now())`, [
    user.id,
    user.email,
    `E2E ${opts.label ?? "user"} ${s}`,
  ]);
  for (const role of opts.roles ?? [])
    await queryE2e(`INSERT INTO "UserRole" ("userId","role") VALUES ($1,$2)`, [user.id, role]);
  if (opts.memberOf) {
    const role = opts.memberOf.kind === "THEATER" ? "THEATER_ADMIN" : "HOST_OPERATOR";
    await queryE2e(`INSERT INTO "Membership" ("orgId","userId","role") VALUES ($1,$2,$3)`, [
      opts.memberOf.id,
      user.id,
      role,
    ]);
  }
  return user;
}

export async function signInAsNew(page: Page, opts: Parameters<typeof createTestUser>[0] = {}) {
  const user = await createTestUser(opts);
  await signInWithEmailCode(page, user.email);
  return user;
}

/** A server action request as the browser sent it, to replay as someone else. */
export type CapturedAction = { url: string; headers: Record<string, string>; body: Buffer };

export async function captureAction(page: Page, submit: () => Promise<void>): Promise<CapturedAction> {
  const sent = page.waitForRequest((r) => r.method() === "POST" && r.headers()["next-action"] !== undefined);
  await submit();
  const req = await sent;
  const all = await req.allHeaders();
  const keep = ["next-action", "content-type", "accept", "next-router-state-tree", "origin"];
  const headers = Object.fromEntries(Object.entries(all).filter(([k]) => keep.includes(k)));
  return { url: req.url(), headers, body: req.postDataBuffer() ?? Buffer.alloc(0) };
}

/** Replays a captured action with another request context's cookies (or none) and returns the flight response text. */
export async function replayAction(
  request: APIRequestContext,
  action: CapturedAction,
  headers: Record<string, string> = {},
): Promise<string> {
  const res = await request.post(action.url, {
    headers: { ...action.headers, ...headers },
    data: action.body,
    maxRedirects: 0,
  });
  return res.text();
}

export async function expectFormError(page: Page, scope: string, code: string) {
  const error = page.locator(`${scope} [data-testid="form-error"]`);
  await expect(error).toBeVisible();
  await expect(error).toHaveAttribute("data-code", code);
}

export async function setHidden(page: Page, selector: string, value: string) {
  await page.locator(selector).evaluate((el, v) => {
    (el as HTMLInputElement).value = v;
  }, value);
}

/** Grants a role from a user's row on /admin/users, through the confirmation dialog with a reason. */
export async function grantRoleInRow(row: Locator, role: string, reason = "Needed for the e2e test") {
  await row.getByTestId("grant-form").getByRole("button", { name: "Grant a role…" }).click();
  const dialog = row.getByTestId("grant-form").getByRole("dialog");
  await dialog.getByLabel("Role to grant").selectOption(role);
  await dialog.getByLabel("Reason (kept in the audit log)").fill(reason);
  await dialog.getByRole("button", { name: "Grant the role" }).click();
}

/** Revokes a role from a user's row on /admin/users, through the confirmation dialog with a reason. */
export async function revokeRoleInRow(row: Locator, role: string, reason = "No longer needed in the e2e test") {
  const revoke = row.getByTestId(`revoke-${role}`);
  await revoke.getByRole("button", { name: /^Revoke / }).click();
  await revoke.getByRole("dialog").getByLabel("Reason (kept in the audit log)").fill(reason);
  await revoke.getByRole("dialog").getByRole("button", { name: "Revoke the role" }).click();
}
