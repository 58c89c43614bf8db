import crypto from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import { expect, test } from "@playwright/test";
import { addVirtualAuthenticator } from "../support/virtual-authenticator";
import { createOidcClient } from "../support/oidc";
import { queryE2e } from "../support/database";
import { checkPage, journeyTimeoutMs, reportPageTimes } from "../support/journey";
import { defined } from "../../support/defined";

const RP_PORT = Number(process.env.E2E_PORT) + 1000;
const RP = `http://localhost:${RP_PORT}`;
let rp: ChildProcess | undefined;

test.beforeAll(async ({ baseURL }) => {
  const client = await createOidcClient([
    "--name",
    "Demo host",
    "--redirect-uri",
    `${RP}/callback`,
    "--logout-uri",
    `${RP}/`,
    "--backchannel-logout-uri",
    `${RP}/backchannel-logout`,
    "--grant",
    "authorization_code,client_credentials",
    "--scope",
    "roles memberships tickets:write",
  ]);
  const [theater] = await queryE2e<{ id: string }>(`SELECT "id" FROM "Organization" WHERE "slug" = 'globe-theater'`);
  rp = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "examples/demo-rp/server.ts"], {
    env: {
      ...process.env,
      GUILDHALL_ISSUER: defined(baseURL),
      CLIENT_ID: client.client_id,
      CLIENT_SECRET: defined(client.client_secret),
      THEATER_ORG_ID: theater.id,
      PORT: String(RP_PORT),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    defined(defined(rp).stdout).on("data", (d: Buffer) => d.toString().includes("demo host on") && resolve());
    defined(rp).once("exit", (code) => reject(new Error(`demo RP exited with ${code}`)));
  });
});

test.afterAll(() => {
  rp?.kill("SIGTERM");
});

test.setTimeout(journeyTimeoutMs);

test("the demo host signs a user in through Guildhall with a passkey, shows the verified claims, sells them tickets paid at Guildhall; Guildhall's logout reaches it over the back channel", async ({
  page,
}, testInfo) => {
  await addVirtualAuthenticator(page);
  const email = `demo-rp-${crypto.randomBytes(5).toString("hex")}@example.test`;
  // An account with a passkey, then signed out, so the host's sign-in needs the passkey.
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Dora Demo");
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Create account with a passkey" }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText(email);
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(page.getByTestId("signed-out")).toBeVisible();

  await page.goto(RP);
  await page.getByTestId("rp-login").click();
  await page.waitForURL(/\/sign-in\?|\/oidc\/interaction\//);
  if (page.url().includes("/sign-in")) {
    // The sign-in page says which application asked (unless the passkey autofill already answered).
    await expect(page.getByTestId("requesting-app").or(page.getByTestId("consent-title"))).toContainText("Demo host");
    // The sign-in page may answer through passkey autofill by itself; otherwise press the button.
    await Promise.race([
      page.waitForURL(/\/oidc\/interaction\//),
      page
        .getByTestId("passkey-sign-in")
        .click()
        .catch(() => {}),
    ]);
  }
  await page.waitForURL(/\/oidc\/interaction\//);
  await expect(page.getByTestId("consent-title")).toContainText("Demo host");
  await checkPage(page, testInfo, "consent");
  await expect(page.getByTestId("consent-scopes")).toContainText("Your email address");
  await page.getByTestId("consent-allow").click();

  await page.waitForURL(`${RP}/`);
  await expect(page.getByTestId("rp-signed-in")).toHaveText(`Signed in as ${email}`);
  const claims = JSON.parse(defined(await page.getByTestId("rp-id-token-claims").textContent()));
  expect(claims.amr).toEqual(["hwk", "user"]);
  expect(claims.acr).toBe("phr");
  const userinfo = JSON.parse(defined(await page.getByTestId("rp-userinfo").textContent()));
  expect(userinfo).toMatchObject({ email, name: "Dora Demo", roles: [], theaters: [], hosts: [] });

  // The ticket buyer's journey (issue 17): the host opens a checkout at Guildhall for the signed-in person, who
  // pays there and comes back to the host, which shows the order as Guildhall reports it; it is in their account.
  await page.getByTestId("rp-buy").click();
  await expect(page).toHaveURL(/\/pay\/simulated\//);
  await expect(page.getByTestId("checkout-total")).toHaveText("€70.00");
  await page.getByLabel("Test card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: /^Pay / }).click();
  await expect(page).toHaveURL(/\/pay\/done\?order=/);
  const orderId = new URL(page.url()).searchParams.get("order");
  await page.getByRole("link", { name: "Back to Demo host" }).click();
  await page.waitForURL(`${RP}/`);
  await expect(page.getByTestId("rp-order")).toHaveAttribute("data-status", "paid");
  await expect(page.getByTestId("rp-order")).toContainText(
    "2 seats for Hamlet · €70.00 · paid · signed receipt issued",
  );
  await page.goto("/account/purchases");
  await expect(page.getByTestId("purchases").locator(`li[data-order="${orderId}"]`)).toBeVisible();

  // Sign out at Guildhall itself (the user confirms); the host hears of it through the outbox.
  await page.goto("/oidc/end-session");
  await page.getByTestId("confirm-logout").click();
  await expect(page.getByTestId("signed-out")).toBeVisible();
  await expect(async () => {
    await page.goto(RP);
    await expect(page.getByTestId("rp-backchannel")).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await reportPageTimes(testInfo);
});
