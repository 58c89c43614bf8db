import { expect, test } from "@playwright/test";
import { signInWithEmailCode } from "../support/sign-in";
import { demoAccounts } from "../../../lib/seed/demo-accounts";

test("health reports the database", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body).toMatchObject({ status: "ok", database: { ok: true, engine: "postgres" } });
  expect(body.database.migrationsApplied).toBeGreaterThan(0);
  expect(res.headers()["cache-control"]).toBe("no-store");
  // On Postgres the portal caches its hottest reads once the database's invalidation feed is live (a moment after start).
  await expect.poll(async () => (await (await request.get("/api/health")).json()).database.cache).toBe("on");
});

test("an email-code session shows on pages and ends on sign-out", async ({ page }) => {
  await signInWithEmailCode(page, demoAccounts.finance.email);
  await page.goto("/");
  await expect(page.getByTestId("signed-in-as")).toHaveText(demoAccounts.finance.email);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByTestId("signed-in-as")).toBeHidden();
  const session = await (await page.request.get("/api/auth/session")).json();
  expect(session?.user).toBeUndefined();
});
