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

beforeAll(async () => {
  await setupCa();
});

describe("certificate issuance", () => {
  it("certifies a P-256 key with the extensions hosts rely on, and openssl verifies the chain", async () => {
    const { license, admin, org } = await seedActiveLicense();
    const { csrPem, keys } = await makeCsr("P-256");
    const { certificate, chainPem } = await issueLicenseCertificate({ licenseId: license.id, csrPem, actor: { userId: admin.id } });

    const cert = new x509.X509Certificate(certificate.certificatePem);
    expect(cert.subject).not.toContain("whatever-the-theater-asks");
    expect(cert.getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    expect(cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([x509.ExtendedKeyUsage.clientAuth]);
    expect(cert.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
    const san = cert.getExtension(x509.SubjectAlternativeNameExtension)!.names.items.map((n) => n.value);
    expect(san).toEqual([`urn:guildhall:theater:${org.id}:license:${license.id}`]);
    expect(cert.getExtension(x509.CRLDistributionPointsExtension)!.distributionPoints[0].distributionPoint!.fullName![0].uniformResourceIdentifier).toBe(
      `http://localhost:3999/.well-known/guildhall/ca/${certificate.issuerId}.crl`,
    );
    expect(cert.getExtension(x509.AuthorityInfoAccessExtension)!.caIssuers[0].value).toBe(`http://localhost:3999/.well-known/guildhall/ca/${certificate.issuerId}.cer`);
    const stored = await db().license.findUniqueOrThrow({ where: { id: license.id } });
    expect(cert.notAfter.getTime()).toBeLessThanOrEqual(stored.validUntil!.getTime());
    const spki = await crypto.subtle.exportKey("spki", keys.publicKey);
    expect(cert.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId).toBe((await x509.SubjectKeyIdentifierExtension.create(spki)).keyId);
    expect(certificate.keySha256).toBe(await spkiSha256(await crypto.subtle.exportKey("spki", keys.publicKey)));

    const dir = tempDir();
    const ca = await setupCa();
    fs.writeFileSync(path.join(dir, "root.pem"), ca.rootCertificatePem);
    fs.writeFileSync(path.join(dir, "chain.pem"), chainPem);
    fs.writeFileSync(path.join(dir, "cert.pem"), certificate.certificatePem);
    const verified = openssl(["verify", "-CAfile", path.join(dir, "root.pem"), "-untrusted", path.join(dir, "chain.pem"), "-purpose", "sslclient", path.join(dir, "cert.pem")]);
    expect(verified.out).toContain("cert.pem: OK");

    const crl = await getCurrentCrl(certificate.issuerId);
    fs.writeFileSync(path.join(dir, "crl.der"), crl!.der);
    const withCrl = openssl(["verify", "-CAfile", path.join(dir, "root.pem"), "-untrusted", path.join(dir, "chain.pem"), "-CRLfile", path.join(dir, "crl.der"), "-crl_check", path.join(dir, "cert.pem")]);
    expect(withCrl.out).toContain("cert.pem: OK");

    const own = await verifyLicenseCertificate(certificate.certificatePem, { rootPem: ca.rootCertificatePem, intermediatesPem: chainPem, crls: [crl!.der] });
    expect(own).toMatchObject({ valid: true, code: "VALID", value: { licenseId: license.id, theaterOrgId: org.id } });
  });

  it("certifies Ed25519 and RSA-3072 keys", async () => {
    const { license, admin } = await seedActiveLicense();
    for (const kind of ["Ed25519", "RSA-3072"] as const) {
      const { csrPem } = await makeCsr(kind);
      const { certificate } = await issueLicenseCertificate({ licenseId: license.id, csrPem, actor: { userId: admin.id } });
      expect(certificate.keyAlgorithm).toBe(kind);
    }
  });

  it("audits every issuance", async () => {
    const { license, admin } = await seedActiveLicense();
    const { csrPem } = await makeCsr("P-256");
    const { certificate } = await issueLicenseCertificate({ licenseId: license.id, csrPem, actor: { userId: admin.id } });
    const events = await db().auditEvent.findMany({ where: { subjectType: "license", subjectId: license.id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["license.activated", "license_certificate.issued"]);
    expect(events[1]).toMatchObject({ actorType: "user", actorId: admin.id, data: expect.objectContaining({ serialHex: certificate.serialHex }) });
  });
});
