import { beforeAll, describe, expect, it } from "vitest";
import { SignJWT, CompactSign, generateKeyPair, exportJWK } from "jose";
import { db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { getPublicJwks } from "@/lib/keys/get-public-jwks";
import { issueLicenseCertificate } from "@/lib/licensing/issue-license-certificate";
import { activateLicenseForPaidOrder } from "@/lib/licensing/activate-license-for-paid-order";
import { reissueCertificatesForRenewal } from "@/lib/licensing/reissue-certificates-for-renewal";
import { createLicenseDocumentVerifier } from "@/lib/licensing/verify-license-document";
import { sendLicenseReminders } from "@/lib/licensing/send-license-reminders";
import { listActiveLicenseIdsForOrgs } from "@/lib/licensing/list-active-license-ids-for-orgs";
import { listLicensesPage } from "@/lib/licensing/list-licenses";
import { newId } from "@/lib/ids";
import { suspendLicense } from "@/lib/licensing/suspend-license";
import { drainOutbox } from "@/lib/outbox/kick-outbox";
import { DAY_MS, makeCsr, seedActiveLicense, seedPlan, setupCa } from "./helpers";
import { seedDefaultSplitPolicies } from "@/lib/splits/seed-default-split-policies";
import { completeSimulatedCheckout } from "@/lib/payments/complete-simulated-checkout";
import { startLicensePurchase } from "@/lib/licensing/start-license-purchase";
import { seedOrg, seedUser } from "@/tests/support/factories";
import { sha256Hex } from "@/lib/crypto/hash";
import { openedMail } from "@/tests/support/mail";
import {
  authenticateTheaterApiToken,
  createTheaterApiToken,
  revokeTheaterApiToken,
} from "@/lib/licensing/theater-api-tokens";
import { defined } from "../../support/defined";

beforeAll(async () => {
  await setupCa();
  await db().$transaction((tx) => seedDefaultSplitPolicies(tx));
});

describe("license documents", () => {
  it("verify offline against the published JWKS, with the fixed failure codes", async () => {
    const { license, admin, org } = await seedActiveLicense({ termDays: 30 });
    const { certificate } = await issueLicenseCertificate({
      licenseId: license.id,
      csrPem: (await makeCsr("Ed25519")).csrPem,
      actor: { type: "user", id: admin.id },
    });
    const verify = createLicenseDocumentVerifier(await getPublicJwks(["license"]));
    const doc = certificate.licenseDocument;
    const bound = { serialHex: certificate.serialHex, keySha256: certificate.keySha256 };

    const ok = await verify(doc, { issuer: env().publicUrl, certificate: bound });
    expect(ok).toMatchObject({ valid: true, code: "VALID" });
    if (ok.valid)
      expect(ok.value.license).toMatchObject({
        id: license.id,
        theater: { id: org.id },
        entitlements: { venues: 2, seats: 800, showsPerMonth: 40 },
      });

    expect(await verify(doc, { now: new Date(Date.now() + 31 * DAY_MS) })).toMatchObject({
      valid: false,
      code: "EXPIRED",
    });
    expect(await verify(doc, { now: new Date(Date.now() - DAY_MS) })).toMatchObject({
      valid: false,
      code: "NOT_YET_VALID",
    });
    expect(await verify(doc, { certificate: { ...bound, keySha256: "x".repeat(43) } })).toMatchObject({
      valid: false,
      code: "WRONG_KEY",
    });
    expect(await verify(doc, { revocation: "held" })).toMatchObject({ valid: false, code: "SUSPENDED" });
    expect(await verify(doc, { revocation: "revoked" })).toMatchObject({ valid: false, code: "REVOKED" });
    expect(await verify(doc, { issuer: "https://other.example" })).toMatchObject({
      valid: false,
      code: "WRONG_ISSUER",
    });
    expect(await verify(doc.slice(0, 40))).toMatchObject({ valid: false, code: "MALFORMED" });
    expect(await verify("not a jws")).toMatchObject({ valid: false, code: "MALFORMED" });

    const [h, p, s] = doc.split(".");
    const tampered = JSON.parse(Buffer.from(p, "base64url").toString());
    tampered.license.entitlements.seats = 100000;
    expect(await verify(`${h}.${Buffer.from(JSON.stringify(tampered)).toString("base64url")}.${s}`)).toMatchObject({
      valid: false,
      code: "BAD_SIGNATURE",
    });

    // Signed by a key Guildhall never published, under a kid that it did publish.
    const kid = JSON.parse(Buffer.from(h, "base64url").toString()).kid;
    const stranger = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const forged = await new CompactSign(Buffer.from(JSON.stringify(tampered)))
      .setProtectedHeader({ alg: "EdDSA", kid, typ: "guildhall-license+jwt" })
      .sign(stranger.privateKey);
    expect(await verify(forged)).toMatchObject({ valid: false, code: "BAD_SIGNATURE" });
    const unknownKid = await new CompactSign(Buffer.from(JSON.stringify(tampered)))
      .setProtectedHeader({ alg: "EdDSA", kid: "nope", typ: "guildhall-license+jwt" })
      .sign(stranger.privateKey);
    expect(await verify(unknownKid)).toMatchObject({ valid: false, code: "UNKNOWN_KEY" });
    const hs = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256", kid, typ: "guildhall-license+jwt" })
      .sign(new Uint8Array(32));
    expect(await verify(hs)).toMatchObject({ valid: false, code: "UNSUPPORTED_ALGORITHM" });
    // A verifier given only a stranger's JWKS knows no key.
    const strangerJwks = { keys: [{ ...(await exportJWK(stranger.publicKey)), kid, alg: "EdDSA", use: "sig" }] };
    expect(await createLicenseDocumentVerifier(strangerJwks)(doc)).toMatchObject({
      valid: false,
      code: "BAD_SIGNATURE",
    });
  });
});

describe("paid orders, renewal and expiry", () => {
  it("activates once per order and extends on renewal, re-issuing the certificate with the same key", async () => {
    const paidAt = new Date(Date.now() - 10 * DAY_MS);
    const { license, admin, orderId } = await seedActiveLicense({ termDays: 30, paidAt });
    const first = await db().license.findUniqueOrThrow({ where: { id: license.id } });
    expect(defined(first.validUntil).getTime()).toBe(paidAt.getTime() + 30 * DAY_MS);
    const again = await db().$transaction((tx) =>
      activateLicenseForPaidOrder(tx, { id: orderId, fulfilment: { kind: "license", licenseId: license.id }, paidAt }),
    );
    expect(again.alreadyApplied).toBe(true);
    expect((await db().license.findUniqueOrThrow({ where: { id: license.id } })).validUntil).toEqual(first.validUntil);

    const { certificate } = await issueLicenseCertificate({
      licenseId: license.id,
      csrPem: (await makeCsr()).csrPem,
      actor: { type: "user", id: admin.id },
    });
    const renewal = await db().$transaction((tx) =>
      activateLicenseForPaidOrder(tx, {
        id: "ord_renewal_1",
        fulfilment: { kind: "license", licenseId: license.id },
        paidAt: new Date(),
      }),
    );
    expect(renewal.validUntil.getTime()).toBe(defined(first.validUntil).getTime() + 30 * DAY_MS);
    await drainOutbox();
    const certs = await db().licenseCertificate.findMany({
      where: { licenseId: license.id },
      orderBy: { createdAt: "asc" },
    });
    expect(certs).toHaveLength(2);
    expect(certs[0]).toMatchObject({ id: certificate.id, supersededAt: expect.any(Date), status: "GOOD" });
    expect(certs[1]).toMatchObject({ keySha256: certificate.keySha256, status: "GOOD", supersededAt: null });
    expect(certs[1].notAfter).toEqual(renewal.validUntil);
    expect(await reissueCertificatesForRenewal(license.id)).toEqual([]);
    const actions = (
      await db().auditEvent.findMany({
        where: { subjectType: "license", subjectId: license.id },
        orderBy: { queued: "asc" },
      })
    ).map((e) => e.action);
    expect(actions).toEqual([
      "license.activated",
      "license_certificate.issued",
      "license.renewed",
      "license_certificate.renewed",
    ]);
  });

  it("lists active license ids of theaters for the OIDC claim", async () => {
    const a = await seedActiveLicense();
    const b = await seedActiveLicense({ termDays: 1, paidAt: new Date(Date.now() - 2 * DAY_MS) });
    const c = await seedActiveLicense();
    await suspendLicense({ licenseId: c.license.id, reason: "chargeback", actor: { type: "system", id: "test" } });
    expect(await listActiveLicenseIdsForOrgs([a.org.id, b.org.id, c.org.id])).toEqual([a.license.id]);
    expect(await listActiveLicenseIdsForOrgs([])).toEqual([]);
  });

  it("lists licenses for admins newest first, by state as people see it, theater and day, paged", async () => {
    const { plan } = await seedPlan();
    const { org, admin } = await seedOrg({ kind: "THEATER" });
    const now = new Date(Date.UTC(2033, 6, 15));
    const day = (d: number) => new Date(Date.UTC(2033, 6, d, 9));
    const made: Record<string, string> = {};
    for (const [d, status, validUntil] of [
      [1, "ACTIVE", day(30)], // in force
      [2, "ACTIVE", day(10)], // ended before `now`: expired, though stored ACTIVE
      [3, "SUSPENDED", day(30)],
      [4, "PENDING_PAYMENT", null],
      [5, "ACTIVE", null],
    ] as const) {
      const l = await db().license.create({
        data: {
          id: newId("lic"),
          theaterOrgId: org.id,
          planId: plan.id,
          status,
          validUntil,
          entitlements: plan.entitlements as object,
          termDays: plan.termDays,
          createdById: admin.id,
          createdAt: day(d),
        },
      });
      made[d] = l.id;
    }
    const mine = { theaterOrgId: org.id };
    const ids = async (f: Parameters<typeof listLicensesPage>[0], limit = 50) =>
      (await listLicensesPage(f, limit, now)).licenses.map((l) => l.id);
    expect(await ids({ ...mine, state: "active" })).toEqual([made[5], made[1]]);
    expect(await ids({ ...mine, state: "expired" })).toEqual([made[2]]);
    expect(await ids({ ...mine, state: "pending_payment" })).toEqual([made[4]]);
    expect(await ids({ ...mine, from: "2033-07-02", to: "2033-07-03" })).toEqual([made[3], made[2]]);
    const first = await listLicensesPage(mine, 3, now);
    const second = await listLicensesPage({ ...mine, before: first.nextBefore ?? undefined }, 3, now);
    expect([...first.licenses, ...second.licenses].map((l) => l.id)).toEqual([5, 4, 3, 2, 1].map((d) => made[d]));
    expect(second.nextBefore).toBeNull();
    expect(first.licenses[2].state).toBe("suspended");
  });

  it("mails the theater admins once per window before the end, under a controlled clock", async () => {
    const { license, admin } = await seedActiveLicense({ termDays: 60 });
    const end = defined((await db().license.findUniqueOrThrow({ where: { id: license.id } })).validUntil);
    const at = (daysBefore: number) => new Date(end.getTime() - daysBefore * DAY_MS);
    const mails = () => db().mailMessage.count({ where: { to: admin.email, template: "license-expiring" } });

    await sendLicenseReminders(at(45));
    expect(await mails()).toBe(0);
    await sendLicenseReminders(at(29));
    expect(await mails()).toBe(1);
    await sendLicenseReminders(at(28));
    expect(await mails()).toBe(1);
    await sendLicenseReminders(at(6.5));
    await sendLicenseReminders(at(6));
    expect(await mails()).toBe(2);
    await sendLicenseReminders(at(0.5));
    expect(await mails()).toBe(3);
    const mail = await db().mailMessage.findFirstOrThrow({ where: { to: admin.email, template: "license-expiring" } });
    expect(openedMail(mail).text).toContain(license.id);
    await sendLicenseReminders(at(-1));
    expect(await mails()).toBe(3);
  });
});

describe("buying a license through the payments checkout", () => {
  it("a theater admin buys a plan: pending until paid, active after, renewed by a second payment", async () => {
    const { plan } = await seedPlan({ termDays: 30 });
    const { org, admin } = await seedOrg({ kind: "THEATER" });
    const bought = await startLicensePurchase({
      theaterOrgId: org.id,
      planId: plan.id,
      actor: { type: "user", id: admin.id },
    });
    expect(bought.url).toContain(`/pay/simulated/${bought.checkoutId}`);
    expect(await db().license.findUniqueOrThrow({ where: { id: bought.licenseId } })).toMatchObject({
      status: "PENDING_PAYMENT",
      validUntil: null,
    });
    const order = await db().paymentOrder.findUniqueOrThrow({ where: { id: bought.checkoutId } });
    expect(order).toMatchObject({ amountMinor: 120000n, currency: "EUR", productKind: "LICENSE_SALE" });

    // Asking again for the same pending license answers the same checkout.
    expect(
      (await startLicensePurchase({ licenseId: bought.licenseId, actor: { type: "user", id: admin.id } })).checkoutId,
    ).toBe(bought.checkoutId);

    expect(
      (await completeSimulatedCheckout({ orderId: bought.checkoutId, cardNumber: "4242 4242 4242 4242" })).result,
    ).toBe("paid");
    const active = await db().license.findUniqueOrThrow({ where: { id: bought.licenseId } });
    expect(active.status).toBe("ACTIVE");
    expect(defined(active.validUntil).getTime() - defined(active.validFrom).getTime()).toBe(30 * DAY_MS);

    const renewal = await startLicensePurchase({ licenseId: bought.licenseId, actor: { type: "user", id: admin.id } });
    expect(renewal.checkoutId).not.toBe(bought.checkoutId);
    await completeSimulatedCheckout({ orderId: renewal.checkoutId, cardNumber: "4242424242424242" });
    const renewed = await db().license.findUniqueOrThrow({ where: { id: bought.licenseId } });
    expect(defined(renewed.validUntil).getTime()).toBe(defined(active.validUntil).getTime() + 30 * DAY_MS);
  });

  it("makes one pending license and one checkout however often and by whichever admin the plan is bought", async () => {
    const { plan } = await seedPlan();
    const { org, admin } = await seedOrg({ kind: "THEATER" });
    const { user: second } = await seedUser();
    await db().membership.create({ data: { orgId: org.id, userId: second.id, role: "THEATER_ADMIN" } });
    const clicks = await Promise.all(
      [admin, admin, admin, admin, second].map((u) =>
        startLicensePurchase({ theaterOrgId: org.id, planId: plan.id, actor: { type: "user", id: u.id } }),
      ),
    );
    expect(new Set(clicks.map((c) => c.licenseId)).size).toBe(1);
    expect(new Set(clicks.map((c) => c.checkoutId)).size).toBe(1);
    expect(new Set(clicks.map((c) => c.url)).size).toBe(1);
    expect(await db().license.count({ where: { theaterOrgId: org.id } })).toBe(1);
    expect(await db().paymentOrder.count({ where: { theaterOrgId: org.id } })).toBe(1);
    // Once paid, buying the plan again is a new license.
    await completeSimulatedCheckout({ orderId: clicks[0].checkoutId, cardNumber: "4242424242424242" });
    const next = await startLicensePurchase({
      theaterOrgId: org.id,
      planId: plan.id,
      actor: { type: "user", id: admin.id },
    });
    expect(next.licenseId).not.toBe(clicks[0].licenseId);
  });

  it("refuses a theater admin buying for another theater, and an archived or unknown plan", async () => {
    const { plan } = await seedPlan();
    const mine = await seedOrg({ kind: "THEATER" });
    const theirs = await seedOrg({ kind: "THEATER" });
    await expect(
      startLicensePurchase({
        theaterOrgId: theirs.org.id,
        planId: plan.id,
        actor: { type: "user", id: mine.admin.id },
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN", reason: "NOT_THEATER_ADMIN" });
    await expect(
      startLicensePurchase({
        theaterOrgId: mine.org.id,
        planId: "lpl_nope",
        actor: { type: "user", id: mine.admin.id },
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND", reason: "PLAN_NOT_FOUND" });
    const bought = await startLicensePurchase({
      theaterOrgId: mine.org.id,
      planId: plan.id,
      actor: { type: "user", id: mine.admin.id },
    });
    await expect(
      startLicensePurchase({ licenseId: bought.licenseId, actor: { type: "user", id: theirs.admin.id } }),
    ).rejects.toMatchObject({ code: "FORBIDDEN", reason: "NOT_THEATER_ADMIN" });
    expect(await db().license.count({ where: { theaterOrgId: theirs.org.id } })).toBe(0);
  });
});

describe("theater API tokens", () => {
  it("are stored hashed, act for their theater, and stop with revocation or loss of the admin role", async () => {
    const { license, admin, org } = await seedActiveLicense();
    const made = await createTheaterApiToken({ orgId: org.id, name: "client", actor: { type: "user", id: admin.id } });
    const row = await db().theaterApiToken.findUniqueOrThrow({ where: { id: made.id } });
    expect(row.tokenHash).toBe(sha256Hex(made.token));
    expect(JSON.stringify(row)).not.toContain(made.token);

    const actor = await authenticateTheaterApiToken(made.token);
    expect(actor).toEqual({ type: "user", id: admin.id, token: { id: made.id, orgId: org.id } });
    const { certificate } = await issueLicenseCertificate({
      licenseId: license.id,
      csrPem: (await makeCsr()).csrPem,
      actor,
    });
    const audit = await db().auditEvent.findFirstOrThrow({
      where: { action: "license_certificate.issued", subjectId: license.id },
    });
    expect(audit).toMatchObject({ actorType: "client", actorId: `${made.id}:${admin.id}` });
    expect(certificate.createdById).toBe(admin.id);

    const other = await seedOrg({ kind: "THEATER" });
    await expect(
      createTheaterApiToken({ orgId: org.id, name: "x", actor: { type: "user", id: other.admin.id } }),
    ).rejects.toMatchObject({ code: "FORBIDDEN", reason: "NOT_THEATER_ADMIN" });
    await expect(
      revokeTheaterApiToken({ tokenId: made.id, actor: { type: "user", id: other.admin.id } }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });

    await db().membership.delete({ where: { orgId_userId: { orgId: org.id, userId: admin.id } } });
    await expect(
      issueLicenseCertificate({ licenseId: license.id, csrPem: (await makeCsr()).csrPem, actor }),
    ).rejects.toMatchObject({ code: "FORBIDDEN", reason: "NOT_THEATER_ADMIN" });
    await db().membership.create({ data: { orgId: org.id, userId: admin.id, role: "THEATER_ADMIN" } });
    await revokeTheaterApiToken({ tokenId: made.id, actor: { type: "user", id: admin.id } });
    await expect(authenticateTheaterApiToken(made.token)).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
      reason: "BAD_API_TOKEN",
    });
    await expect(authenticateTheaterApiToken("ght_unknown")).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });
});
