import crypto from "node:crypto";
import { expect, test } from "@playwright/test";
import { queryE2e } from "../support/database";
import { pageWithSharedSession } from "../support/sign-in";
import { createOidcClient, postToken } from "../support/oidc";
import { checkPage, journeyTimeoutMs, reportPageTimes } from "../support/journey";

/**
 * The money path end to end on the built portal with the simulated provider:
 * a host backend sells tickets through the API (client credentials,
 * Idempotency-Key), the buyer pays on the simulated checkout page, payees
 * connect payout accounts, two finance users approve and execute the batch,
 * the outbox pays, and each payee sees its own statement and not another's.
 */
test.describe.configure({ mode: "serial" });

const finance2 = `finance2-${crypto.randomBytes(4).toString("hex")}@guildhall.test`;

test.beforeAll(async () => {
  // The demo has one finance user; approval needs two different ones.
  const id = `usr_${crypto.randomBytes(12).toString("base64url")}`;
  await queryE2e(
    `INSERT INTO "User" ("id", "email", "name", "emailVerifiedAt") VALUES ($1, $2, 'Second Finance', now())`,
    [id, finance2],
  );
  await queryE2e(`INSERT INTO "UserRole" ("userId", "role") VALUES ($1, 'FINANCE')`, [id]);
});

/** The ticket buyer's journey (issue 17): the checkout, a declined card, the paid page that leads back to the app. */
test("a host sells tickets through the API and the buyer pays on the simulated checkout", async ({
  request,
  page,
}, testInfo) => {
  test.setTimeout(journeyTimeoutMs);
  const client = await createOidcClient([
    "--name",
    "Box office backend",
    "--grant",
    "client_credentials",
    "--scope",
    "tickets:write",
  ]);
  const token = await postToken(request, { grant_type: "client_credentials", scope: "tickets:write" }, client);
  expect(token.status, JSON.stringify(token.body)).toBe(200);
  const auth = { authorization: `Bearer ${String(token.body.access_token)}` };
  const [theater] = await queryE2e<{ id: string }>(`SELECT "id" FROM "Organization" WHERE "slug" = 'globe-theater'`);
  const body = {
    theaterOrgId: theater.id,
    showId: "hamlet-2026-12-01",
    externalRef: "bo-1001",
    description: "Hamlet, 2 seats",
    currency: "EUR",
    lineItems: [{ name: "Stalls seat", quantity: 2, unitAmountMinor: 4500 }],
    amountMinor: 9000,
  };
  const key = `e2e-${crypto.randomUUID()}`;

  expect((await request.post("/api/v1/checkouts", { data: body, headers: { "idempotency-key": key } })).status()).toBe(
    401,
  );
  const noKey = await request.post("/api/v1/checkouts", { data: body, headers: auth });
  expect(noKey.status()).toBe(400);
  expect((await noKey.json()).error).toMatchObject({ code: "BAD_REQUEST", reason: "IDEMPOTENCY_KEY_REQUIRED" });
  const created = await request.post("/api/v1/checkouts", { data: body, headers: { ...auth, "idempotency-key": key } });
  expect(created.status(), await created.text()).toBe(201);
  const checkout = await created.json();
  expect(checkout).toMatchObject({ status: "open", amountMinor: 9000, currency: "EUR", productKind: "TICKET_SALE" });
  const replay = await request.post("/api/v1/checkouts", { data: body, headers: { ...auth, "idempotency-key": key } });
  expect((await replay.json()).id).toBe(checkout.id);
  const reused = await request.post("/api/v1/checkouts", {
    data: { ...body, lineItems: [{ name: "Stalls seat", quantity: 3, unitAmountMinor: 4500 }], amountMinor: 13500 },
    headers: { ...auth, "idempotency-key": key },
  });
  expect(reused.status()).toBe(422);
  expect((await reused.json()).error).toMatchObject({ code: "UNPROCESSABLE", reason: "IDEMPOTENCY_KEY_REUSED" });
  const wrongAmount = await request.post("/api/v1/checkouts", {
    data: { ...body, amountMinor: 1 },
    headers: { ...auth, "idempotency-key": `${key}-2` },
  });
  expect((await wrongAmount.json()).error.reason).toBe("AMOUNT_MISMATCH");
  const unauth = await request.get(`/api/v1/checkouts/${checkout.id}`);
  expect(unauth.status()).toBe(401);
  expect(unauth.headers()["www-authenticate"]).toContain('error="invalid_token"');

  await page.goto(new URL(checkout.url).pathname);
  await expect(page.getByTestId("simulated-banner")).toContainText("SIMULATED TEST CHECKOUT");
  await expect(page.getByTestId("checkout-total")).toHaveText("€90.00");
  await expect(page.getByTestId("payee-line")).toHaveText("Paid to The Globe Theater through Guildhall.");
  await checkPage(page, testInfo, "ticket checkout");
  await page.getByLabel("Test card number").fill("4000 0000 0000 0002");
  await page.getByRole("button", { name: /^Pay/ }).click();
  await expect(page.getByRole("status")).toContainText("declined");
  await page.getByLabel("Test card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: /^Pay/ }).click();
  await expect(page).toHaveURL(/\/pay\/done\?order=/);
  await expect(page.getByTestId("payment-done")).toContainText("Hamlet, 2 seats");
  await expect(page.getByTestId("payment-done")).toContainText("The Globe Theater");
  await checkPage(page, testInfo, "ticket paid");

  const status = await (await request.get(`/api/v1/checkouts/${checkout.id}`, { headers: auth })).json();
  expect(status).toMatchObject({ status: "paid", url: null });
  const doc = await (await request.get("/api/v1/openapi.json")).json();
  expect(doc.openapi).toBe("3.1.0");
  expect(Object.keys(doc.paths)).toEqual(["/api/v1/checkouts", "/api/v1/checkouts/{id}"]);
  await reportPageTimes(testInfo);
});

test("payees connect accounts; two finance users approve and execute the batch; payees see their statements only", async ({
  browser,
}, testInfo) => {
  // Four people sign in and the outbox pays, and finance's pages are checked at two widths: minutes on a loaded machine.
  test.setTimeout(360_000);
  const theaterAdmin = await pageWithSharedSession(browser, "theater@guildhall.test");
  const hostOperator = await pageWithSharedSession(browser, "host@guildhall.test");
  for (const [page, slug] of [
    [theaterAdmin, "globe-theater"],
    [hostOperator, "north-host"],
  ] as const) {
    await page.goto(`/orgs/${slug}/payouts`);
    await page.getByRole("button", { name: "Connect a payout account" }).click();
    await expect(page.getByText("simulated, complete")).toBeVisible();
  }
  // The theater admin buys a license through the simulated checkout (the licensing domain's flow):
  // a LICENSE_SALE, split by its own policy among the developers' fund, the hosts and the org.
  await theaterAdmin.goto("/licensing");
  await theaterAdmin.getByTestId("theater-globe-theater").getByTestId("buy-plan-Stage").click();
  await expect(theaterAdmin).toHaveURL(/\/pay\/simulated\//);
  await theaterAdmin.getByLabel("Test card number").fill("4242 4242 4242 4242");
  await theaterAdmin.getByRole("button", { name: /^Pay / }).click();
  await expect(theaterAdmin).toHaveURL(/\/licensing\?paid=lic_/);
  const [licenseOrder] = await queryE2e<{ id: string }>(
    `SELECT "id" FROM "PaymentOrder" WHERE "productKind" = 'LICENSE_SALE' AND "status" = 'paid' ORDER BY "paidAt" DESC LIMIT 1`,
  );

  // One payee cannot see another's statement, nor finance's pages.
  expect((await hostOperator.request.get("/api/orgs/globe-theater/payouts/statement")).status()).toBe(403);
  expect(
    (
      await hostOperator.request.post("/api/finance/batches", {
        data: { currency: "EUR" },
        headers: { origin: new URL(hostOperator.url()).origin },
      })
    ).status(),
  ).toBe(403);
  const forbiddenPage = await hostOperator.goto("/finance");
  expect(forbiddenPage?.status()).toBe(403);

  // The finance journey (issue 17): overview with the sales chart, the order list, the batch, reconciliation;
  // every page checked at 1280 and 390 px.
  const f1 = await pageWithSharedSession(browser, "finance@guildhall.test");
  await f1.goto("/finance");
  await expect(f1.getByTestId("sales-chart")).toBeVisible();
  await checkPage(f1, testInfo, "finance overview");
  await f1.goto(`/finance/orders?q=${licenseOrder.id}`);
  await expect(f1.getByTestId("orders").getByRole("row")).toHaveCount(2);
  await checkPage(f1, testInfo, "finance orders");
  await f1.goto("/finance/reconciliation");
  // Every transaction matches: the page says so, with no empty differences table under it.
  await expect(f1.getByTestId("reconciliation-summary")).toContainText("no differences");
  await expect(f1.getByTestId("reconciliation-differences")).toHaveCount(0);
  await checkPage(f1, testInfo, "reconciliation");
  await f1.goto("/finance");
  await f1.getByRole("button", { name: "Connect the developers' fund payout account" }).click();
  await f1.getByRole("button", { name: "Propose a batch of what is owed" }).click();
  await expect(f1).toHaveURL(/\/finance\/batches\/po_/);
  await expect(f1.getByTestId("money-chart")).toBeVisible();
  await expect(f1.getByTestId("batch-items")).toContainText("The Globe Theater");
  await checkPage(f1, testInfo, "payout batch");
  await f1
    .getByRole("row", { name: /North Host/ })
    .getByRole("link", { name: "Sources" })
    .click();
  await expect(f1.getByTestId("sources")).toContainText(licenseOrder.id);
  await f1.goBack();
  await f1.getByRole("button", { name: "Approve" }).click();
  await expect(f1.getByTestId("approvals")).toContainText("finance@guildhall.test");
  await expect(f1.getByRole("button", { name: "Approve" })).toHaveCount(0);
  // At 1 of 2 approvals the CSV says so, not "draft".
  const halfway = await (await f1.request.get(`/api/finance/batches/${f1.url().split("/").pop()}/csv`)).text();
  expect(halfway.split("\r\n")[1]).toMatch(/^po_[^,]+,awaiting_approval,.*,1 of 2$/);

  const f2 = await pageWithSharedSession(browser, finance2);
  await f2.goto(f1.url());
  await f2.getByRole("button", { name: "Approve" }).click();
  await expect(f2.getByTestId("batch-status")).toHaveAttribute("data-status", "approved");
  await f2.getByRole("button", { name: /Execute/ }).click();
  const confirm = f2.getByRole("dialog", { name: "Send this batch's transfers?" });
  await confirm.getByLabel("Reason (kept in the audit log)").fill("The first payout run");
  await confirm.getByRole("button", { name: "Send the transfers" }).click();
  await expect(f2.getByTestId("notice")).toContainText("Sending");
  // The page follows the transfers without a reload, and says "Paid" only for what was paid.
  await expect(f2.getByTestId("batch-status")).toHaveAttribute("data-status", /^(completed|partly_failed)$/, {
    timeout: 30_000,
  });
  for (const payee of ["The Globe Theater", "North Host"])
    await expect(f2.getByRole("row", { name: new RegExp(payee) }).getByTestId("item-status")).toHaveText("Paid");
  const csv = await f2.request.get(`/api/finance/batches/${f2.url().split("/").pop()}/csv`);
  expect(await csv.text()).toMatch(/^batch_id,batch_status,item_id/);
  // The batch list: filtered by the day it was proposed; a filter it cannot read is named, not applied.
  const batchId = f2.url().split("/").pop() ?? "";
  const today = new Date().toISOString().slice(0, 10);
  await f2.goto(`/finance/batches?currency=EUR&from=${today}&to=${today}&status=paid-ish`);
  await expect(f2.getByTestId("ignored-filters")).toContainText("State");
  await expect(f2.getByTestId("batches")).toContainText(batchId);
  await checkPage(f2, testInfo, "payout batches");
  await f2.goto(`/finance/batches?currency=EUR&status=voided&from=${today}`);
  await expect(f2.getByTestId("no-batches")).toHaveText("No batch matches these filters.");

  await theaterAdmin.goto("/orgs/globe-theater/payouts");
  await expect(theaterAdmin.getByTestId("payout-items")).toContainText("posted");
  await checkPage(theaterAdmin, testInfo, "theater payouts");
  await expect(theaterAdmin.getByTestId("statement-lines")).toContainText("payout");
  const statement = await theaterAdmin.request.get("/api/orgs/globe-theater/payouts/statement", {
    headers: { accept: "application/json" },
  });
  expect((await statement.json()).items[0]).toMatchObject({ status: "posted", currency: "EUR" });
  const mailed = await queryE2e<{ n: string }>(
    `SELECT count(*)::text AS n FROM "MailMessage" WHERE "to" = 'theater@guildhall.test' AND "template" = 'payout-statement'`,
  );
  expect(Number(mailed[0].n)).toBe(1);
  await reportPageTimes(testInfo);
});
