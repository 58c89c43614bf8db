import crypto from "node:crypto";
import { expect, test, type APIResponse } from "@playwright/test";
import { signInWithEmailCode, lastSignInCode, useSharedSession } from "../support/sign-in";
import { queryE2e } from "../support/database";
import { demoAccounts } from "../../../lib/seed/demo-accounts";
import { baseURL } from "../../../playwright.config";
import { defined } from "../../support/defined";

const uniqueEmail = (label: string) => `${label}-${crypto.randomBytes(5).toString("hex")}@example.test`;
const origin = { origin: baseURL };

async function userId(email: string): Promise<string> {
  const [row] = await queryE2e<{ id: string }>(`SELECT "id" FROM "User" WHERE "email" = $1`, [email]);
  return row.id;
}

/** A passkey row for a user, written directly: these tests are about who may touch it, not about WebAuthn. */
async function passkeyOf(email: string): Promise<string> {
  const id = `pk_${crypto.randomBytes(16).toString("base64url")}`;
  await queryE2e(
    `INSERT INTO "Passkey" ("id", "userId", "credentialId", "publicKey", "deviceType", "name") VALUES ($1, $2, $3, $4, 'singleDevice', 'Victim key')`,
    [id, await userId(email), crypto.randomBytes(16).toString("base64url"), crypto.randomBytes(77)],
  );
  return id;
}

async function expectError(res: APIResponse, status: number, code: string) {
  expect(res.status(), await res.text()).toBe(status);
  const body = (await res.json()) as { error: { code: string } };
  expect(body.error.code).toBe(code);
}

test("a deployed portal has no dev mailbox: not for an org admin, nor from loopback, nor with a guessed key", async ({
  page,
  browser,
}) => {
  // Issue 12: an org admin read every account's sign-in codes there and signed in as the finance users.
  const admin = await (await browser.newContext()).newPage();
  await useSharedSession(admin, demoAccounts.admin.email);
  for (const path of ["/dev/mailbox", `/dev/mailbox?to=${encodeURIComponent(demoAccounts.finance.email)}`])
    expect((await admin.goto(path))?.status()).toBe(404);
  await expect(admin.getByTestId("mailbox")).toHaveCount(0);
  await admin.goto("/admin");
  await expect(admin.getByTestId("admin-dashboard")).toBeVisible();
  await expect(admin.getByRole("link", { name: /mailbox/i })).toHaveCount(0);
  await admin.context().close();

  await page.setExtraHTTPHeaders({ "x-forwarded-for": "127.0.0.1", "x-guildhall-peer-address": "forged 127.0.0.1" });
  expect((await page.goto("/dev/mailbox?key=guess"))?.status()).toBe(404);
  await page.goto("/sign-in");
  await expect(page.getByTestId("dev-mailbox-hint")).toHaveCount(0);
});

test("account endpoints refuse a signed-out caller, a cross-site caller, and bad input", async ({ page, request }) => {
  await expectError(await request.post("/api/account/passkeys/options", { headers: origin }), 401, "UNAUTHENTICATED");
  await expectError(await request.post("/api/account/sessions/end-all", { headers: origin }), 401, "UNAUTHENTICATED");
  await expectError(await request.get("/api/account/passkeys"), 401, "UNAUTHENTICATED");

  await signInWithEmailCode(page, uniqueEmail("inputs"));
  await expectError(
    await page.request.post("/api/account/sessions/end-all", { headers: { origin: "https://evil.example" } }),
    403,
    "BAD_ORIGIN",
  );
  await expectError(await page.request.post("/api/account/sessions/end-all"), 403, "BAD_ORIGIN"); // cookies but no Origin
  await expectError(
    await page.request.patch("/api/account", { headers: origin, data: { name: "" } }),
    400,
    "VALIDATION_FAILED",
  );
  await expectError(
    await page.request.post("/api/account/passkeys", { headers: origin, data: { response: { id: "x" } } }),
    400,
    "VALIDATION_FAILED",
  );
  await expectError(
    await page.request.post("/api/auth/email-code", { headers: origin, data: { email: "not-an-address" } }),
    400,
    "VALIDATION_FAILED",
  );
  // Nothing above ended the session.
  expect((await (await page.request.get("/api/auth/session")).json()).user).toBeTruthy();
});

test("a user cannot rename or remove another user's passkey, nor end their session", async ({ page, browser }) => {
  const victim = uniqueEmail("victim");
  const victimPage = await (await browser.newContext()).newPage();
  await signInWithEmailCode(victimPage, victim);
  const passkeyId = await passkeyOf(victim);
  const [victimSession] = await queryE2e<{ id: string }>(
    `SELECT s."id" FROM "Session" s JOIN "User" u ON u."id" = s."userId" WHERE u."email" = $1`,
    [victim],
  );

  await signInWithEmailCode(page, uniqueEmail("mallory"));
  await expectError(
    await page.request.patch(`/api/account/passkeys/${passkeyId}`, { headers: origin, data: { name: "mine now" } }),
    404,
    "NOT_FOUND",
  );
  await expectError(
    await page.request.delete(`/api/account/passkeys/${passkeyId}`, { headers: origin }),
    404,
    "NOT_FOUND",
  );
  await expectError(
    await page.request.delete(`/api/account/sessions/${victimSession.id}`, { headers: origin }),
    404,
    "NOT_FOUND",
  );
  expect((await (await page.request.get("/api/account/passkeys")).json()).passkeys).toEqual([]);

  const [still] = await queryE2e<{ name: string }>(`SELECT "name" FROM "Passkey" WHERE "id" = $1`, [passkeyId]);
  expect(still.name).toBe("Victim key");
  expect((await (await victimPage.request.get("/api/auth/session")).json()).user.email).toBe(victim);
  // The owner may.
  const own = await victimPage.request.patch(`/api/account/passkeys/${passkeyId}`, {
    headers: origin,
    data: { name: "Renamed by owner" },
  });
  expect(own.status(), await own.text()).toBe(200);
  await victimPage.context().close();
});

test("session cookies are HttpOnly, SameSite=Lax, and not Secure on localhost", async ({ request }) => {
  const email = uniqueEmail("cookie");
  expect((await request.post("/api/auth/email-code", { data: { email } })).status()).toBe(200);
  const code = await lastSignInCode(email);
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  const res = await request.post("/api/auth/callback/email-code", {
    form: { email, code, csrfToken, createAccount: "true", json: "true" },
  });
  expect(res.ok()).toBe(true);
  const cookies = res
    .headersArray()
    .filter((h) => h.name.toLowerCase() === "set-cookie")
    .map((h) => h.value);
  const session = cookies.find((c) => c.startsWith("next-auth.session-token="));
  expect(session, cookies.join("\n")).toBeDefined();
  const attributes = defined(session)
    .split(";")
    .slice(1)
    .map((a) => a.trim().toLowerCase());
  expect(attributes).toEqual(expect.arrayContaining(["httponly", "samesite=lax", "path=/"]));
  expect(attributes).not.toContain("secure");
  // What the page's JavaScript reads names the person, never the session token (issue 12).
  const answer = await (await request.get("/api/auth/session")).json();
  expect(answer).toEqual({ user: { email, name: null }, expires: expect.any(String) });
  expect(JSON.stringify(answer)).not.toMatch(/sessionToken/i);
});

test("a wrong passkey response is refused with the API's error shape", async ({ request }) => {
  const options = await request.post("/api/auth/passkey/options", { headers: origin });
  expect(options.status()).toBe(200);
  expect(await options.json()).toMatchObject({ rpId: "localhost", userVerification: "required", allowCredentials: [] });
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  const res = await request.post("/api/auth/callback/passkey", {
    form: {
      response: JSON.stringify({
        id: "x",
        rawId: "x",
        type: "public-key",
        response: { clientDataJSON: "e30", authenticatorData: "AA", signature: "AA" },
      }),
      csrfToken,
      json: "true",
    },
  });
  expect(res.status()).toBe(401);
  const error = new URL((await res.json()).url).searchParams.get("error");
  expect(JSON.parse(defined(error))).toMatchObject({ code: "UNAUTHENTICATED" });
});
