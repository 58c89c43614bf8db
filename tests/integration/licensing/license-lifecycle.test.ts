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
import { suspendLicense } from "@/lib/licensing/suspend-license";
import { drainOutbox } from "@/lib/outbox/kick-outbox";
import { DAY_MS, makeCsr, seedActiveLicense, setupCa } from "./helpers";

beforeAll(async () => {
  await setupCa();
});

describe("license documents", () => {
  it("verify offline against the published JWKS, with the fixed failure codes", async () => {
    const { license, admin, org } = await seedActiveLicense({ termDays: 30 });
    const { certificate } = await issueLicenseCertificate({ licenseId: license.id, csrPem: (await makeCsr("Ed25519")).csrPem, actor: { userId: admin.id } });
    const verify = createLicenseDocumentVerifier(await getPublicJwks(["license"]));
    const doc = certificate.licenseDocument;
    const bound = { serialHex: certificate.serialHex, keySha256: certificate.keySha256 };

    const ok = await verify(doc, { issuer: env().publicUrl, certificate: bound });
    expect(ok).toMatchObject({ valid: true, code: "VALID" });
    if (ok.valid) expect(ok.value.license).toMatchObject({ id: license.id, theater: { id: org.id }, entitlements: { venues: 2, seats: 800, showsPerMonth: 40 } });

    expect(await verify(doc, { now: new Date(Date.now() + 31 * DAY_MS) })).toMatchObject({ valid: false, code: "EXPIRED" });
    expect(await verify(doc, { now: new Date(Date.now() - DAY_MS) })).toMatchObject({ valid: false, code: "NOT_YET_VALID" });
    expect(await verify(doc, { certificate: { ...bound, keySha256: "x".repeat(43) } })).toMatchObject({ valid: false, code: "WRONG_KEY" });
    expect(await verify(doc, { revocation: "held" })).toMatchObject({ valid: false, code: "SUSPENDED" });
    expect(await verify(doc, { revocation: "revoked" })).toMatchObject({ valid: false, code: "REVOKED" });
    expect(await verify(doc, { issuer: "https://other.example" })).toMatchObject({ valid: false, code: "WRONG_ISSUER" });
    expect(await verify(doc.slice(0, 40))).toMatchObject({ valid: false, code: "MALFORMED" });
    expect(await verify("not a jws")).toMatchObject({ valid: false, code: "MALFORMED" });

    const [h, p, s] = doc.split(".");
    const tampered = JSON.parse(Buffer.from(p, "base64url").toString());
    tampered.license.entitlements.seats = 100000;
    expect(await verify(`${h}.${Buffer.from(JSON.stringify(tampered)).toString("base64url")}.${s}`)).toMatchObject({ valid: false, code: "BAD_SIGNATURE" });

    // Signed by a key Guildhall never published, under a kid that it did publish.
    const kid = JSON.parse(Buffer.from(h, "base64url").toString()).kid;
    const stranger = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const forged = await new CompactSign(Buffer.from(JSON.stringify(tampered))).setProtectedHeader({ alg: "EdDSA", kid, typ: "guildhall-license+jwt" }).sign(stranger.privateKey);
    expect(await verify(forged)).toMatchObject({ valid: false, code: "BAD_SIGNATURE" });
    const unknownKid = await new CompactSign(Buffer.from(JSON.stringify(tampered))).setProtectedHeader({ alg: "EdDSA", kid: "nope", typ: "guildhall-license+jwt" }).sign(stranger.privateKey);
    expect(await verify(unknownKid)).toMatchObject({ valid: false, code: "UNKNOWN_KEY" });
    const hs = await new SignJWT({}).setProtectedHeader({ alg: "HS256", kid, typ: "guildhall-license+jwt" }).sign(new Uint8Array(32));
    expect(await verify(hs)).toMatchObject({ valid: false, code: "UNSUPPORTED_ALGORITHM" });
    // A verifier given only a stranger's JWKS knows no key.
    const strangerJwks = { keys: [{ ...(await exportJWK(stranger.publicKey)), kid, alg: "EdDSA", use: "sig" }] };
    expect(await createLicenseDocumentVerifier(strangerJwks)(doc)).toMatchObject({ valid: false, code: "BAD_SIGNATURE" });
  });
});

describe("paid orders, renewal and expiry", () => {
  it("activates once per order and extends on renewal, re-issuing the certificate with the same key", async () => {
    const paidAt = new Date(Date.now() - 10 * DAY_MS);
    const { license, admin, orderId } = await seedActiveLicense({ termDays: 30, paidAt });
    const first = await db().license.findUniqueOrThrow({ where: { id: license.id } });
    expect(first.validUntil!.getTime()).toBe(paidAt.getTime() + 30 * DAY_MS);
    const again = await db().$transaction((tx) => activateLicenseForPaidOrder(tx, { id: orderId, fulfilment: { kind: "license", licenseId: license.id }, paidAt }));
    expect(again.alreadyApplied).toBe(true);
    expect((await db().license.findUniqueOrThrow({ where: { id: license.id } })).validUntil).toEqual(first.validUntil);

    const { certificate } = await issueLicenseCertificate({ licenseId: license.id, csrPem: (await makeCsr()).csrPem, actor: { userId: admin.id } });
    const renewal = await db().$transaction((tx) => activateLicenseForPaidOrder(tx, { id: "ord_renewal_1", fulfilment: { kind: "license", licenseId: license.id }, paidAt: new Date() }));
    expect(renewal.validUntil.getTime()).toBe(first.validUntil!.getTime() + 30 * DAY_MS);
    await drainOutbox();
    const certs = await db().licenseCertificate.findMany({ where: { licenseId: license.id }, orderBy: { createdAt: "asc" } });
    expect(certs).toHaveLength(2);
    expect(certs[0]).toMatchObject({ id: certificate.id, supersededAt: expect.any(Date), status: "GOOD" });
    expect(certs[1]).toMatchObject({ keySha256: certificate.keySha256, status: "GOOD", supersededAt: null });
    expect(certs[1].notAfter).toEqual(renewal.validUntil);
    expect(await reissueCertificatesForRenewal(license.id)).toEqual([]);
    const actions = (await db().auditEvent.findMany({ where: { subjectType: "license", subjectId: license.id }, orderBy: { seq: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["license.activated", "license_certificate.issued", "license.renewed", "license_certificate.renewed"]);
  });

  it("lists active license ids of theaters for the OIDC claim", async () => {
    const a = await seedActiveLicense();
    const b = await seedActiveLicense({ termDays: 1, paidAt: new Date(Date.now() - 2 * DAY_MS) });
    const c = await seedActiveLicense();
    await suspendLicense({ licenseId: c.license.id, reason: "chargeback", actor: { type: "system" } });
    expect(await listActiveLicenseIdsForOrgs([a.org.id, b.org.id, c.org.id])).toEqual([a.license.id]);
    expect(await listActiveLicenseIdsForOrgs([])).toEqual([]);
  });

  it("mails the theater admins once per window before the end, under a controlled clock", async () => {
    const { license, admin } = await seedActiveLicense({ termDays: 60 });
    const end = (await db().license.findUniqueOrThrow({ where: { id: license.id } })).validUntil!;
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
    expect(mail.text).toContain(license.id);
    await sendLicenseReminders(at(-1));
    expect(await mails()).toBe(3);
  });
});
