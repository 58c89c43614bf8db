import crypto from "node:crypto";
import { expect, test } from "@playwright/test";
import { queryE2e } from "../support/database";
import { pageWithSharedSession } from "../support/sign-in";
import { checkPage, journeyTimeoutMs, reportPageTimes } from "../support/journey";
import { createOidcClient, postToken } from "../support/oidc";

/**
 * The refund journey of finance staff on the built portal (simulated
 * provider): an order page with what was paid and what can still go back, a
 * refund that asks for a reason and a confirmation and says what happened, a
 * large refund that waits for a second finance user, and the page refused to
 * everyone else.
 */
test.describe.configure({ mode: "serial" });

const finance2 = `refund-approver-${crypto.randomBytes(4).toString("hex")}@guildhall.test`;
let orderId = "";

test.beforeAll(async ({ request, browser }) => {
  const id = `usr_${crypto.randomBytes(12).toString("base64url")}`;
  await queryE2e(
    `INSERT INTO "User" ("id", "email", "name", "emailVerifiedAt") VALUES ($1, $2, 'Refund Approver', now())`,
    [id, finance2],
  );
  await queryE2e(`INSERT INTO "UserRole" ("userId", "role") VALUES ($1, 'FINANCE')`, [id]);
  // A paid order of €900.00, sold through the API and paid on the simulated checkout.
  const client = await createOidcClient([
    "--name",
    "Refund box office",
    "--grant",
    "client_credentials",
    "--scope",
    "tickets:write",
  ]);
  const token = await postToken(request, { grant_type: "client_credentials", scope: "tickets:write" }, client);
  const [theater] = await queryE2e<{ id: string }>(`SELECT "id" FROM "Organization" WHERE "slug" = 'globe-theater'`);
  const created = await request.post("/api/v1/checkouts", {
    data: {
      theaterOrgId: theater.id,
      showId: "gala-2026-12-24",
      externalRef: `gala-${crypto.randomUUID()}`,
      description: "Gala, box for 6",
      currency: "EUR",
      lineItems: [{ name: "Box", quantity: 1, unitAmountMinor: 90_000 }],
      amountMinor: 90_000,
    },
    headers: { authorization: `Bearer ${String(token.body.access_token)}`, "idempotency-key": crypto.randomUUID() },
  });
  expect(created.status(), await created.text()).toBe(201);
  const checkout = await created.json();
  orderId = checkout.id;
  const page = await (await browser.newContext()).newPage();
  await page.goto(new URL(checkout.url).pathname);
  await page.getByLabel("Test card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: /^Pay/ }).click();
  await expect(page).toHaveURL(/\/pay\/done\?order=/);
});

test("finance refunds with a reason and a confirmation, sees what happened, and a large refund waits for a second approver", async ({
  browser,
}, testInfo) => {
  test.setTimeout(journeyTimeoutMs);
  const f1 = await pageWithSharedSession(browser, "finance@guildhall.test");
  await f1.goto("/finance/orders");
  await f1.locator(`a[href="/finance/orders/${orderId}"]`).first().click();
  await expect(f1.getByTestId("order-refundable")).toHaveText("€900.00");

  const form = f1.getByTestId("refund-form");
  await form.getByLabel(/^Amount/).fill("20.00");
  await form.getByLabel(/^Reason/).fill("Two seats returned");
  // Without the confirmation the form is not sent.
  await form.getByRole("button", { name: "Refund" }).click();
  await expect(f1.getByTestId("form-success")).toHaveCount(0);
  await form.getByLabel(/I confirm/).check();
  await form.getByRole("button", { name: "Refund" }).click();
  await expect(form.getByTestId("form-success")).toContainText("€20.00 refunded");
  await expect(f1.getByTestId("order-refundable")).toHaveText("€880.00");
  await expect(f1.getByTestId("refund-line").first()).toContainText("succeeded");
  await expect(f1.getByTestId("refund-line").first()).toContainText("Two seats returned");

  // Above the bar: held, nothing sent, and its asker cannot approve it.
  await f1.reload();
  await form.getByLabel(/^Amount/).fill("600");
  await form.getByLabel(/^Reason/).fill("Gala moved, box cancelled");
  await form.getByLabel(/I confirm/).check();
  await form.getByRole("button", { name: "Refund" }).click();
  await expect(form.getByTestId("form-success")).toContainText("waits for a second finance user's approval");
  await expect(f1.getByTestId("order-refundable")).toHaveText("€280.00");
  await expect(f1.getByTestId("refund-line").first()).toContainText("awaiting a second approval");
  await expect(f1.getByText("Another finance user must approve your refund.")).toBeVisible();
  await expect(f1.getByTestId("approve-refund")).toHaveCount(0);

  const f2 = await pageWithSharedSession(browser, finance2);
  await f2.goto(`/finance/orders/${orderId}`);
  await f2.getByTestId("approve-refund").getByRole("button", { name: "Approve and send" }).click();
  await expect(f2.getByTestId("refund-notice")).toContainText(
    "Refund of €600.00: succeeded, decided by Refund Approver",
  );
  await expect(f2.getByTestId("order-refunded")).toHaveText("€620.00");
  await checkPage(f2, testInfo, "finance order with refunds");
  const [row] = await queryE2e<{ refundedMinor: string }>(
    `SELECT "refundedMinor"::text FROM "PaymentOrder" WHERE "id" = $1`,
    [orderId],
  );
  expect(row.refundedMinor).toBe("62000");

  // Through the API, a refund without a reason is a 400 and changes nothing.
  const origin = new URL(f2.url()).origin;
  const noReason = await f2.request.post(`/api/finance/orders/${orderId}/refund`, {
    data: { amountMinor: 100, requestKey: crypto.randomUUID() },
    headers: { origin },
  });
  expect(noReason.status()).toBe(400);
  await expect(f2.getByTestId("order-refunded")).toHaveText("€620.00");
  await reportPageTimes(testInfo);
});

test("the order page and the refund endpoint refuse a user who is not in finance", async ({ browser }) => {
  const member = await pageWithSharedSession(browser, "member1@guildhall.test");
  const page = await member.goto(`/finance/orders/${orderId}`);
  expect(page?.status()).toBe(403);
  const refused = await member.request.post(`/api/finance/orders/${orderId}/refund`, {
    data: { amountMinor: 100, reason: "not mine", requestKey: crypto.randomUUID() },
    headers: { origin: new URL(member.url()).origin },
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe("FORBIDDEN");
});
