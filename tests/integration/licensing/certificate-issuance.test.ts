import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { x509 } from "@/lib/licensing/x509";
import { issueLicenseCertificate } from "@/lib/licensing/issue-license-certificate";
import { getCurrentCrl } from "@/lib/licensing/get-current-crl";
import { verifyLicenseCertificate } from "@/lib/licensing/verify-license-certificate";
import { spkiSha256 } from "@/lib/licensing/certificate-facts";
import { makeCsr, openssl, seedActiveLicense, setupCa, tempDir } from "./helpers";
import { suspendLicense } from "@/lib/licensing/suspend-license";
import { revokeLicense } from "@/lib/licensing/revoke-license";
import { newId } from "@/lib/ids";
import { seedOrg } from "@/tests/support/factories";
import { defined } from "../../support/defined";

// Runs first, before the CA is set up: the file's database is as a fresh install leaves it.
describe("certificate requests on a fresh install", () => {
  it("refuses a caller who does not run the theater, making no key; the theater's admin learns the CA is not set up", async () => {
    const { license, admin } = await seedActiveLicense();
    const other = await seedOrg({ kind: "THEATER" });
    const { csrPem } = await makeCsr("P-256");
    const eventsBefore = await db().auditEvent.count();
    await expectRefusal(
      issueLicenseCertificate({ licenseId: license.id, csrPem, actor: { type: "user", id: other.admin.id } }),
      "FORBIDDEN",
      "NOT_THEATER_ADMIN",
    );
    await expectRefusal(
      issueLicenseCertificate({ licenseId: license.id, csrPem, actor: { type: "user", id: admin.id } }),
      "UNAVAILABLE",
      "CA_NOT_INITIALIZED",
    );
    expect(await db().signingKey.count({ where: { purpose: "license" } })).toBe(0);
    expect(await db().auditEvent.count()).toBe(eventsBefore);
    expect(await db().licenseCertificate.count({ where: { licenseId: license.id } })).toBe(0);
  });
});

describe("certificate issuance", () => {
  beforeAll(async () => {
    await setupCa();
  });

  it("certifies a P-256 key with the extensions hosts rely on, and openssl verifies the chain", async () => {
    const { license, admin, org } = await seedActiveLicense();
    const { csrPem, keys } = await makeCsr("P-256");
    const { certificate, chainPem } = await issueLicenseCertificate({
      licenseId: license.id,
      csrPem,
      actor: { type: "user", id: admin.id },
    });

    const cert = new x509.X509Certificate(certificate.certificatePem);
    expect(cert.subject).toBe(`CN=${org.slug}, OU=${license.id}, O=Guildhall Theaters`);
    expect(cert.issuer).toBe(
      new x509.X509Certificate(defined(chainPem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/))[0])
        .subject,
    );
    expect(cert.getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    expect(cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([x509.ExtendedKeyUsage.clientAuth]);
    expect(cert.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
    const san = defined(cert.getExtension(x509.SubjectAlternativeNameExtension)).names.items.map((n) => n.value);
    expect(san).toEqual([`urn:guildhall:theater:${org.id}:license:${license.id}`]);
    expect(
      defined(
        defined(defined(cert.getExtension(x509.CRLDistributionPointsExtension)).distributionPoints[0].distributionPoint)
          .fullName,
      )[0].uniformResourceIdentifier,
    ).toBe(`http://localhost:3999/.well-known/guildhall/ca/${certificate.issuerId}.crl`);
    expect(defined(cert.getExtension(x509.AuthorityInfoAccessExtension)).caIssuers[0].value).toBe(
      `http://localhost:3999/.well-known/guildhall/ca/${certificate.issuerId}.cer`,
    );
    // What issuance returns is the stored row, with the same types as a Prisma read (Dates, the enum as its name).
    expect(certificate).toEqual(await db().licenseCertificate.findUniqueOrThrow({ where: { id: certificate.id } }));
    expect(certificate).toMatchObject({
      status: "GOOD",
      supersededAt: null,
      revokedAt: null,
      createdAt: expect.any(Date),
      notAfter: expect.any(Date),
    });
    const stored = await db().license.findUniqueOrThrow({ where: { id: license.id } });
    expect(cert.notAfter.getTime()).toBeLessThanOrEqual(defined(stored.validUntil).getTime());
    const spki = await crypto.subtle.exportKey("spki", keys.publicKey);
    expect(defined(cert.getExtension(x509.SubjectKeyIdentifierExtension)).keyId).toBe(
      (await x509.SubjectKeyIdentifierExtension.create(spki)).keyId,
    );
    expect(certificate.keySha256).toBe(await spkiSha256(await crypto.subtle.exportKey("spki", keys.publicKey)));

    const dir = tempDir();
    const ca = await setupCa();
    fs.writeFileSync(path.join(dir, "root.pem"), ca.rootCertificatePem);
    fs.writeFileSync(path.join(dir, "chain.pem"), chainPem);
    fs.writeFileSync(path.join(dir, "cert.pem"), certificate.certificatePem);
    const verified = openssl([
      "verify",
      "-CAfile",
      path.join(dir, "root.pem"),
      "-untrusted",
      path.join(dir, "chain.pem"),
      "-purpose",
      "sslclient",
      path.join(dir, "cert.pem"),
    ]);
    expect(verified.out).toContain("cert.pem: OK");

    const crl = await getCurrentCrl(certificate.issuerId);
    fs.writeFileSync(path.join(dir, "crl.der"), defined(crl).der);
    const withCrl = openssl([
      "verify",
      "-CAfile",
      path.join(dir, "root.pem"),
      "-untrusted",
      path.join(dir, "chain.pem"),
      "-CRLfile",
      path.join(dir, "crl.der"),
      "-crl_check",
      path.join(dir, "cert.pem"),
    ]);
    expect(withCrl.out).toContain("cert.pem: OK");

    const own = await verifyLicenseCertificate(certificate.certificatePem, {
      rootPem: ca.rootCertificatePem,
      intermediatesPem: chainPem,
      crls: [defined(crl).der],
    });
    expect(own).toMatchObject({ valid: true, code: "VALID", value: { licenseId: license.id, theaterOrgId: org.id } });
  });

  it("certifies Ed25519 and RSA-3072 keys", async () => {
    const { license, admin } = await seedActiveLicense();
    for (const kind of ["Ed25519", "RSA-3072"] as const) {
      const { csrPem } = await makeCsr(kind);
      const { certificate } = await issueLicenseCertificate({
        licenseId: license.id,
        csrPem,
        actor: { type: "user", id: admin.id },
      });
      expect(certificate.keyAlgorithm).toBe(kind);
    }
  });

  it("checks requests made by openssl, signed RSA-PSS or with SHA-384", async () => {
    const { license, admin } = await seedActiveLicense();
    const dir = tempDir();
    const requests = [
      {
        kind: "RSA-3072",
        args: ["-newkey", "rsa:3072", "-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32"],
      },
      { kind: "P-256", args: ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-sha384"] },
    ];
    for (const [i, { kind, args }] of requests.entries()) {
      const csrFile = path.join(dir, `req-${i}.pem`);
      const made = openssl([
        "req",
        "-new",
        ...args,
        "-nodes",
        "-keyout",
        path.join(dir, `key-${i}.pem`),
        "-subj",
        "/CN=from-openssl",
        "-out",
        csrFile,
      ]);
      expect(made.ok, made.out).toBe(true);
      const csrPem = fs.readFileSync(csrFile, "utf8");
      const { certificate } = await issueLicenseCertificate({
        licenseId: license.id,
        csrPem,
        actor: { type: "user", id: admin.id },
      });
      expect(certificate.keyAlgorithm).toBe(kind);
      // The same request with one byte of its signed part changed no longer verifies.
      const der = Buffer.from(csrPem.replace(/-----[^-]+-----|\s/g, ""), "base64");
      der[der.indexOf(Buffer.from("from-openssl"))] ^= 1;
      const tampered = x509.PemConverter.encode(der, "CERTIFICATE REQUEST");
      await expect(
        issueLicenseCertificate({ licenseId: license.id, csrPem: tampered, actor: { type: "user", id: admin.id } }),
      ).rejects.toMatchObject({ reason: "CSR_SIGNATURE_INVALID" });
    }
  });

  it("audits every issuance", async () => {
    const { license, admin } = await seedActiveLicense();
    const { csrPem } = await makeCsr("P-256");
    const { certificate } = await issueLicenseCertificate({
      licenseId: license.id,
      csrPem,
      actor: { type: "user", id: admin.id },
    });
    const events = await db().auditEvent.findMany({
      where: { subjectType: "license", subjectId: license.id },
      orderBy: { queued: "asc" },
    });
    expect(events.map((e) => e.action)).toEqual(["license.activated", "license_certificate.issued"]);
    expect(events[1]).toMatchObject({
      actorType: "user",
      actorId: admin.id,
      data: expect.objectContaining({ serialHex: certificate.serialHex }),
    });
  });
});

async function expectRefusal(p: Promise<unknown>, code: string, reason: string) {
  await expect(p).rejects.toMatchObject({ code, reason });
}

describe("certificate requests that are refused", () => {
  beforeAll(async () => {
    await setupCa();
  });

  it("refuses malformed, truncated and forged requests, and forbidden keys, issuing nothing", async () => {
    const { license, admin } = await seedActiveLicense();
    const actor = { type: "user" as const, id: admin.id };
    const { csrPem } = await makeCsr("P-256");
    const body = csrPem.split("\n").slice(1, -2).join("");

    await expectRefusal(
      issueLicenseCertificate({ licenseId: license.id, csrPem: "hello", actor }),
      "UNPROCESSABLE",
      "CSR_MALFORMED",
    );
    const truncated = `-----BEGIN CERTIFICATE REQUEST-----\n${body.slice(0, body.length - 40)}\n-----END CERTIFICATE REQUEST-----\n`;
    await expectRefusal(
      issueLicenseCertificate({ licenseId: license.id, csrPem: truncated, actor }),
      "UNPROCESSABLE",
      "CSR_MALFORMED",
    );

    // A request whose signature was made by another key: the subject is swapped after signing.
    const a = await makeCsr("P-256", "CN=a");
    const b = await makeCsr("P-256", "CN=b");
    const csrA = new x509.Pkcs10CertificateRequest(a.csrPem);
    const forged = await x509.Pkcs10CertificateRequestGenerator.create({
      name: "CN=a",
      keys: { publicKey: b.keys.publicKey, privateKey: a.keys.privateKey },
      signingAlgorithm: { name: "ECDSA", hash: "SHA-256" } as EcdsaParams,
    });
    expect(csrA.subject).toBe("CN=a");
    await expectRefusal(
      issueLicenseCertificate({ licenseId: license.id, csrPem: forged.toString("pem"), actor }),
      "UNPROCESSABLE",
      "CSR_SIGNATURE_INVALID",
    );

    await expectRefusal(
      issueLicenseCertificate({ licenseId: license.id, csrPem: (await makeCsr("RSA-2048")).csrPem, actor }),
      "UNPROCESSABLE",
      "KEY_TOO_SMALL",
    );
    await expectRefusal(
      issueLicenseCertificate({ licenseId: license.id, csrPem: (await makeCsr("P-384")).csrPem, actor }),
      "UNPROCESSABLE",
      "KEY_TYPE_FORBIDDEN",
    );
    expect(await db().licenseCertificate.count({ where: { licenseId: license.id } })).toBe(0);
  });

  it("refuses the admin of another theater, and a theater member who is not its admin", async () => {
    const { license } = await seedActiveLicense();
    const other = await seedOrg({ kind: "THEATER" });
    const { csrPem } = await makeCsr("P-256");
    await expectRefusal(
      issueLicenseCertificate({ licenseId: license.id, csrPem, actor: { type: "user", id: other.admin.id } }),
      "FORBIDDEN",
      "NOT_THEATER_ADMIN",
    );
    // An API token of the right user but made for another theater is refused too.
    await db().membership.create({
      data: { orgId: license.theaterOrgId, userId: other.admin.id, role: "THEATER_ADMIN" },
    });
    await expectRefusal(
      issueLicenseCertificate({
        licenseId: license.id,
        csrPem,
        actor: { type: "user", id: other.admin.id, token: { id: "tat_x", orgId: other.org.id } },
      }),
      "FORBIDDEN",
      "NOT_THEATER_ADMIN",
    );
    await expectRefusal(
      issueLicenseCertificate({ licenseId: "lic_missing", csrPem, actor: { type: "user", id: other.admin.id } }),
      "NOT_FOUND",
      "LICENSE_NOT_FOUND",
    );
    expect(await db().licenseCertificate.count({ where: { licenseId: license.id } })).toBe(0);
  });

  it("refuses licenses that are unpaid, suspended, revoked or expired", async () => {
    const { csrPem } = await makeCsr("P-256");
    const suspended = await seedActiveLicense();
    await suspendLicense({
      licenseId: suspended.license.id,
      reason: "chargeback",
      actor: { type: "user", id: suspended.orgAdmin.id },
    });
    await expectRefusal(
      issueLicenseCertificate({
        licenseId: suspended.license.id,
        csrPem,
        actor: { type: "user", id: suspended.admin.id },
      }),
      "CONFLICT",
      "LICENSE_SUSPENDED",
    );

    const revoked = await seedActiveLicense();
    await revokeLicense({
      licenseId: revoked.license.id,
      reason: "fraud",
      actor: { type: "user", id: revoked.orgAdmin.id },
    });
    await expectRefusal(
      issueLicenseCertificate({ licenseId: revoked.license.id, csrPem, actor: { type: "user", id: revoked.admin.id } }),
      "CONFLICT",
      "LICENSE_REVOKED",
    );

    const expired = await seedActiveLicense({ termDays: 30, paidAt: new Date(Date.now() - 31 * 86_400_000) });
    await expectRefusal(
      issueLicenseCertificate({ licenseId: expired.license.id, csrPem, actor: { type: "user", id: expired.admin.id } }),
      "CONFLICT",
      "LICENSE_EXPIRED",
    );

    const unpaid = await db().license.create({
      data: {
        id: newId("lic"),
        theaterOrgId: expired.org.id,
        planId: expired.plan.id,
        entitlements: {},
        termDays: 30,
        createdById: expired.admin.id,
      },
    });
    await expectRefusal(
      issueLicenseCertificate({ licenseId: unpaid.id, csrPem, actor: { type: "user", id: expired.admin.id } }),
      "CONFLICT",
      "LICENSE_NOT_PAID",
    );
    const refusedIds = [suspended.license.id, revoked.license.id, expired.license.id, unpaid.id];
    expect(await db().licenseCertificate.count({ where: { licenseId: { in: refusedIds } } })).toBe(0);
  });
});
