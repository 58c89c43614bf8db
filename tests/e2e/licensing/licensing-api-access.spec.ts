import crypto from "node:crypto";
import { expect, test, type Browser } from "@playwright/test";
import { signInWithEmailCode } from "../support/sign-in";
import { queryE2e } from "../support/database";
import { x509 } from "../../../lib/licensing/x509";
import { defined } from "../../support/defined";

const csrPath = (id: string) => `/api/licensing/licenses/${id}/certificates`;
const malformedCsr = "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----";

/** Fresh accounts of this test's own, so parallel specs never share a sign-in. */
async function seedAccounts() {
  const tag = crypto.randomBytes(4).toString("hex");
  const user = async (label: string, role?: string) => {
    const id = `usr_e2e${label}${tag}`;
    const email = `${label}-${tag}@example.test`;
    await queryE2e(`INSERT INTO "User" ("id", "email", "name", "emailVerifiedAt") VALUES ($1, $2, $3, now())`, [
      id,
      email,
      label,
    ]);
    if (role) await queryE2e(`INSERT INTO "UserRole" ("userId", "role") VALUES ($1, $2)`, [id, role]);
    return { id, email };
  };
  const theaterAdmin = await user("theateradmin");
  const orgId = `org_e2e${tag}`;
  await queryE2e(`INSERT INTO "Organization" ("id", "slug", "name", "kind") VALUES ($1, $2, $3, 'THEATER')`, [
    orgId,
    `e2e-theater-${tag}`,
    `E2E Theater ${tag}`,
  ]);
  await queryE2e(`INSERT INTO "Membership" ("orgId", "userId", "role") VALUES ($1, $2, 'THEATER_ADMIN')`, [
    orgId,
    theaterAdmin.id,
  ]);
  return { orgId, theaterAdmin, outsider: await user("outsider"), finance: await user("finance", "FINANCE") };
}

async function signedIn(browser: Browser, baseURL: string, email: string) {
  const page = await (await browser.newContext({ extraHTTPHeaders: { origin: baseURL } })).newPage();
  await signInWithEmailCode(page, email);
  return page.request;
}

async function validCsr(): Promise<string> {
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const keys = (await crypto.webcrypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
  return (
    await x509.Pkcs10CertificateRequestGenerator.create({ name: "CN=e2e", keys, signingAlgorithm: alg })
  ).toString("pem");
}

test("licensing endpoints refuse the wrong people with exact codes", async ({ browser, playwright, baseURL }) => {
  const accounts = await seedAccounts();
  const anonymous = await playwright.request.newContext({ baseURL });
  expect((await anonymous.post(csrPath("lic_x"), { data: { csr: malformedCsr } })).status()).toBe(401);

  const admin = await signedIn(browser, defined(baseURL), accounts.theaterAdmin.email);
  const [plan] = await queryE2e<{ id: string }>(`SELECT "id" FROM "LicensePlan" WHERE "name" = 'Stage'`);
  const bought = await admin.post("/api/licensing/licenses", {
    data: { theaterOrgId: accounts.orgId, planId: plan.id },
  });
  expect(bought.status(), await bought.text()).toBe(201);
  const { licenseId, checkoutId } = await bought.json();
  // Not paid yet: no certificate.
  const unpaid = await admin.post(csrPath(licenseId), { data: { csr: await validCsr() } });
  expect(unpaid.status()).toBe(409);
  expect((await unpaid.json()).error).toMatchObject({ code: "CONFLICT", reason: "LICENSE_NOT_PAID" });
  expect(
    (
      await admin.post(`/api/pay/simulated/${checkoutId}`, { form: { card: "4242424242424242" }, maxRedirects: 0 })
    ).status(),
  ).toBe(303);

  // Bad requests from the rightful admin: 4xx with the reason.
  const malformed = await admin.post(csrPath(licenseId), { data: { csr: malformedCsr } });
  expect(malformed.status()).toBe(422);
  expect((await malformed.json()).error).toMatchObject({ code: "UNPROCESSABLE", reason: "CSR_MALFORMED" });
  expect((await admin.post(csrPath(licenseId), { data: {} })).status()).toBe(400);
  const issued = await admin.post(csrPath(licenseId), { data: { csr: await validCsr() } });
  expect(issued.status(), await issued.text()).toBe(201);

  // Someone who does not administer the theater.
  const outsider = await signedIn(browser, defined(baseURL), accounts.outsider.email);
  const refused = await outsider.post(csrPath(licenseId), { data: { csr: await validCsr() } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error).toMatchObject({ code: "FORBIDDEN", reason: "NOT_THEATER_ADMIN" });
  expect((await outsider.get(csrPath(licenseId))).status()).toBe(403);
  expect((await outsider.post(`/api/licensing/licenses/${licenseId}/checkout`)).status()).toBe(403);
  expect(
    (
      await outsider.post(`/api/licensing/theaters/${accounts.orgId}/api-tokens`, { data: { name: "sneaky" } })
    ).status(),
  ).toBe(403);
  expect(
    (
      await outsider.post(`/api/licensing/licenses/${licenseId}/standing`, {
        data: { action: "suspend", reason: "because" },
      })
    ).status(),
  ).toBe(403);
  expect(
    (
      await admin.post(`/api/licensing/licenses/${licenseId}/standing`, {
        data: { action: "suspend", reason: "because" },
      })
    ).status(),
  ).toBe(403);
  expect(
    (
      await admin.post("/api/licensing/plans", {
        data: { name: "Cheap", termDays: 1, priceMinor: 1, currency: "EUR", entitlements: {} },
      })
    ).status(),
  ).toBe(403);

  // The management client's token works for its theater; an unknown one is 401.
  const made = await admin.post(`/api/licensing/theaters/${accounts.orgId}/api-tokens`, {
    data: { name: "e2e client" },
  });
  expect(made.status()).toBe(201);
  const { token } = await made.json();
  const viaToken = await anonymous.get("/api/licensing/licenses", { headers: { authorization: `Bearer ${token}` } });
  expect(viaToken.status()).toBe(200);
  expect((await viaToken.json()).licenses.map((l: { id: string }) => l.id)).toEqual([licenseId]);
  const [hashRow] = await queryE2e<{ tokenHash: string }>(
    `SELECT "tokenHash" FROM "TheaterApiToken" WHERE "orgId" = $1`,
    [accounts.orgId],
  );
  expect(hashRow.tokenHash).toBe(crypto.createHash("sha256").update(token).digest("hex"));
  const badToken = await anonymous.get("/api/licensing/licenses", {
    headers: { authorization: "Bearer ght_not-a-token" },
  });
  expect(badToken.status()).toBe(401);
  expect((await badToken.json()).error.reason).toBe("BAD_API_TOKEN");

  // Finance suspends after a chargeback: public status says held, and no new certificate is issued.
  const finance = await signedIn(browser, defined(baseURL), accounts.finance.email);
  const suspended = await finance.post(`/api/licensing/licenses/${licenseId}/standing`, {
    data: { action: "suspend", reason: "chargeback" },
  });
  expect(suspended.status(), await suspended.text()).toBe(200);
  expect(await suspended.json()).toMatchObject({ status: "SUSPENDED" });
  const { serialHex } = await issued.json();
  expect(await (await anonymous.get(`/.well-known/guildhall/certificate-status/${serialHex}`)).json()).toMatchObject({
    status: "held",
    licenseState: "suspended",
  });
  const afterSuspension = await anonymous.post(csrPath(licenseId), {
    data: { csr: await validCsr() },
    headers: { authorization: `Bearer ${token}` },
  });
  expect(afterSuspension.status()).toBe(409);
  expect((await afterSuspension.json()).error).toMatchObject({ code: "CONFLICT", reason: "LICENSE_SUSPENDED" });
});
