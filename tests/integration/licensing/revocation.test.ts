import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { issueLicenseCertificate } from "@/lib/licensing/issue-license-certificate";
import { suspendLicense } from "@/lib/licensing/suspend-license";
import { reinstateLicense } from "@/lib/licensing/reinstate-license";
import { revokeLicense } from "@/lib/licensing/revoke-license";
import { getCurrentCrl } from "@/lib/licensing/get-current-crl";
import { initCertificateAuthority } from "@/lib/licensing/init-certificate-authority";
import { rotateIssuingCa } from "@/lib/licensing/rotate-issuing-ca";
import { getCertificateStatus } from "@/lib/licensing/get-certificate-status";
import { verifyLicenseCertificate } from "@/lib/licensing/verify-license-certificate";
import { makeCsr, openssl, seedActiveLicense, setupCa, tempDir } from "./helpers";
import { defined } from "../../support/defined";

beforeAll(async () => {
  await setupCa();
});

/** Writes the trust material and the newest CRL and asks openssl about the certificate. */
async function opensslVerdict(certificate: { certificatePem: string; issuerId: string }, chainPem: string) {
  const ca = await setupCa();
  const dir = tempDir();
  const crl = defined(await getCurrentCrl(certificate.issuerId));
  for (const [name, body] of [
    ["root.pem", ca.rootCertificatePem],
    ["chain.pem", chainPem],
    ["cert.pem", certificate.certificatePem],
  ] as const)
    fs.writeFileSync(path.join(dir, name), body);
  fs.writeFileSync(path.join(dir, "crl.der"), crl.der);
  const f = (n: string) => path.join(dir, n);
  return {
    verify: openssl([
      "verify",
      "-CAfile",
      f("root.pem"),
      "-untrusted",
      f("chain.pem"),
      "-CRLfile",
      f("crl.der"),
      "-crl_check",
      f("cert.pem"),
    ]),
    crlText: openssl(["crl", "-inform", "DER", "-in", f("crl.der"), "-noout", "-text"]),
    crlSignature: openssl(["crl", "-inform", "DER", "-in", f("crl.der"), "-noout", "-CAfile", f("chain.pem")]),
    own: await verifyLicenseCertificate(certificate.certificatePem, {
      rootPem: ca.rootCertificatePem,
      intermediatesPem: chainPem,
      crls: [crl.der],
    }),
    crl,
  };
}

describe("suspension and revocation", () => {
  it("holds, releases and revokes certificates on a signed CRL and the status endpoint together", async () => {
    const { license, admin, orgAdmin } = await seedActiveLicense();
    const { certificate, chainPem } = await issueLicenseCertificate({
      licenseId: license.id,
      csrPem: (await makeCsr()).csrPem,
      actor: { type: "user", id: admin.id },
    });
    const serialUpper = certificate.serialHex.toUpperCase();

    const good = await opensslVerdict(certificate, chainPem);
    expect(good.verify.out).toContain("OK");
    expect(good.crlSignature.out).toContain("verify OK");
    expect(good.crlText.out).toContain("Next Update");
    expect(good.crlText.out).not.toContain(serialUpper);
    expect((await getCertificateStatus(certificate.serialHex)).status).toBe("good");

    await suspendLicense({
      licenseId: license.id,
      reason: "chargeback ch_123",
      actor: { type: "user", id: orgAdmin.id },
    });
    const held = await opensslVerdict(certificate, chainPem);
    expect(held.verify.ok).toBe(false);
    expect(held.verify.out).toMatch(/certificate revoked/);
    expect(held.crlText.out).toContain(serialUpper);
    expect(held.crlText.out).toContain("Certificate Hold");
    expect(held.own).toMatchObject({ valid: false, code: "SUSPENDED" });
    const heldStatus = await getCertificateStatus(certificate.serialHex);
    expect(heldStatus).toMatchObject({ status: "held", reason: "certificateHold", licenseState: "suspended" });
    expect(defined(heldStatus.crl).number).toBe(held.crl.crlNumber);

    await reinstateLicense({
      licenseId: license.id,
      reason: "chargeback won",
      actor: { type: "user", id: orgAdmin.id },
    });
    const released = await opensslVerdict(certificate, chainPem);
    expect(released.verify.out).toContain("OK");
    expect(released.crlText.out).not.toContain(serialUpper);
    expect((await getCertificateStatus(certificate.serialHex)).status).toBe("good");

    await revokeLicense({ licenseId: license.id, reason: "contract ended", actor: { type: "user", id: orgAdmin.id } });
    const revoked = await opensslVerdict(certificate, chainPem);
    expect(revoked.verify.ok).toBe(false);
    expect(revoked.crlText.out).toContain("Cessation Of Operation");
    expect(revoked.own).toMatchObject({ valid: false, code: "REVOKED" });
    expect(await getCertificateStatus(certificate.serialHex)).toMatchObject({
      status: "revoked",
      licenseState: "revoked",
    });

    const actions = (
      await db().auditEvent.findMany({
        where: { subjectType: "license", subjectId: license.id },
        orderBy: { queued: "asc" },
      })
    ).map((e) => e.action);
    expect(actions).toEqual([
      "license.activated",
      "license_certificate.issued",
      "license.suspended",
      "license.reinstated",
      "license.revoked",
    ]);
    await expect(
      reinstateLicense({ licenseId: license.id, reason: "oops", actor: { type: "user", id: orgAdmin.id } }),
    ).rejects.toMatchObject({ code: "CONFLICT", reason: "LICENSE_REVOKED" });
  });

  it("re-keying revokes the old certificate as superseded; the same key only supersedes it", async () => {
    const { license, admin } = await seedActiveLicense();
    const actor = { type: "user" as const, id: admin.id };
    const first = await makeCsr();
    const a = await issueLicenseCertificate({ licenseId: license.id, csrPem: first.csrPem, actor });
    const b = await issueLicenseCertificate({ licenseId: license.id, csrPem: first.csrPem, actor });
    expect(await getCertificateStatus(a.certificate.serialHex)).toMatchObject({ status: "good", superseded: true });
    const rekeyedAt = new Date(Date.now() - 1234);
    const c = await issueLicenseCertificate({
      licenseId: license.id,
      csrPem: (await makeCsr("Ed25519")).csrPem,
      actor,
      now: rekeyedAt,
    });
    expect(await getCertificateStatus(b.certificate.serialHex)).toMatchObject({
      status: "revoked",
      reason: "superseded",
    });
    // The retirement writes the caller's clock exactly (no time-zone shift through the raw UPDATE), and only to b.
    expect(
      await db().licenseCertificate.findUniqueOrThrow({
        where: { id: b.certificate.id },
        select: { supersededAt: true, revokedAt: true },
      }),
    ).toEqual({ supersededAt: rekeyedAt, revokedAt: rekeyedAt });
    expect(
      await db().licenseCertificate.findUniqueOrThrow({
        where: { id: a.certificate.id },
        select: { status: true, revokedAt: true },
      }),
    ).toEqual({ status: "GOOD", revokedAt: null });
    const verdict = await opensslVerdict(b.certificate, b.chainPem);
    expect(verdict.crlText.out).toContain("Superseded");
    expect((await opensslVerdict(c.certificate, c.chainPem)).verify.out).toContain("OK");
  });

  it("answers unknown for a serial it never issued", async () => {
    expect(await getCertificateStatus("0abc")).toMatchObject({ status: "unknown" });
    expect(await getCertificateStatus("not-hex")).toMatchObject({ status: "unknown" });
  });
});

describe("the org CA", () => {
  it("keeps the root key out of the database and rotates the intermediate with the offline root key", async () => {
    const ca = await setupCa();
    const root = await db().certificateAuthority.findFirstOrThrow({ where: { kind: "root" } });
    expect(root.privateSealed).toBeNull();
    expect(fs.statSync(ca.rootKeyPath).mode & 0o777).toBe(0o600);
    const before = await db().certificateAuthority.findUniqueOrThrow({ where: { id: ca.intermediateId } });
    expect(before.privateSealed).toMatch(/^v1\.[0-9a-f]{12}\.ca-intermediate\./);
    await expect(
      initCertificateAuthority({ rootKeyPath: path.join(tempDir(), "k.pem"), actor: { type: "system", id: "test" } }),
    ).rejects.toMatchObject({ code: "CONFLICT", reason: "CA_EXISTS" });

    const stranger = path.join(tempDir(), "stranger.pem");
    fs.writeFileSync(stranger, (await makeCsr("P-256")).keyPem);
    await expect(
      rotateIssuingCa({ rootKeyPath: stranger, actor: { type: "system", id: "test" } }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      reason: "ROOT_KEY_MISMATCH",
    });

    const rotated = await rotateIssuingCa({ rootKeyPath: ca.rootKeyPath, actor: { type: "system", id: "test" } });
    expect(
      (await db().certificateAuthority.findUniqueOrThrow({ where: { id: ca.intermediateId } })).retiredAt,
    ).not.toBeNull();
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "root.pem"), ca.rootCertificatePem);
    fs.writeFileSync(path.join(dir, "new.pem"), rotated.certificate.toString("pem"));
    expect(openssl(["verify", "-CAfile", path.join(dir, "root.pem"), path.join(dir, "new.pem")]).out).toContain(
      "new.pem: OK",
    );
    // The retired intermediate still publishes a CRL for the certificates it issued.
    expect(await getCurrentCrl(ca.intermediateId)).not.toBeNull();
    expect(await getCurrentCrl(rotated.id)).not.toBeNull();
  });
});
