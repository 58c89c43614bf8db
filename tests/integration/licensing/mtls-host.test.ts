import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { x509 } from "@/lib/licensing/x509";
import { getActiveSigningKey } from "@/lib/keys/get-active-signing-key";
import { env } from "@/lib/config/env";
import { revokeLicense } from "@/lib/licensing/revoke-license";
import { suspendLicense } from "@/lib/licensing/suspend-license";
import { DAY_MS, makeCsr, setupCa } from "./helpers";
import { licensedClient, selfSignedCa, startMtlsHost } from "./mtls-host-harness";

let host: Awaited<ReturnType<typeof startMtlsHost>>;
const call: typeof host.call = (client) => host.call(client);

beforeAll(async () => {
  const ca = await setupCa();
  await getActiveSigningKey("license"); // the host fetches the JWKS once at start
  host = await startMtlsHost({ rootPem: ca.rootCertificatePem, issuer: env().publicUrl });
});

afterAll(async () => {
  await host.close();
});

describe("example mTLS host", () => {
  it("accepts a licensed theater's certificate, P-256 or Ed25519", async () => {
    for (const kind of ["P-256", "Ed25519"] as const) {
      const client = await licensedClient(kind);
      const res = await call(client);
      expect(res).toMatchObject({
        status: 200,
        body: { code: "VALID", license: client.license.id, theater: { id: client.org.id } },
      });
    }
  });

  it("refuses a revoked or suspended certificate with the code from the CRL", async () => {
    const revoked = await licensedClient();
    await revokeLicense({
      licenseId: revoked.license.id,
      reason: "fraud",
      revocationReason: "privilegeWithdrawn",
      actor: { type: "system", id: "test" },
    });
    expect(await call(revoked)).toMatchObject({ status: 403, body: { code: "REVOKED" } });
    const held = await licensedClient();
    await suspendLicense({ licenseId: held.license.id, reason: "chargeback", actor: { type: "system", id: "test" } });
    expect(await call(held)).toMatchObject({ status: 403, body: { code: "SUSPENDED" } });
  });

  it("refuses an expired certificate and a foreign one at the TLS handshake", async () => {
    const expired = await licensedClient("P-256", {
      termDays: 30,
      paidAt: new Date(Date.now() - 40 * DAY_MS),
      now: new Date(Date.now() - 35 * DAY_MS),
    });
    expect(expired.certificate.notAfter.getTime()).toBeLessThan(Date.now());
    expect(await call(expired)).toHaveProperty("error");

    const foreignCa = await selfSignedCa("CN=Guildhall Root CA, O=Guildhall");
    const { keys } = await makeCsr("P-256");
    const foreign = await x509.X509CertificateGenerator.create({
      subject: "CN=impostor",
      issuer: foreignCa.cert.subject,
      publicKey: keys.publicKey,
      signingKey: foreignCa.keys.privateKey,
      signingAlgorithm: { name: "ECDSA", hash: "SHA-256" } as EcdsaParams,
      extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
    });
    const genuine = await licensedClient();
    const keyPem = x509.PemConverter.encode(await crypto.subtle.exportKey("pkcs8", keys.privateKey), "PRIVATE KEY");
    expect(
      await call({ keyPem, certPem: foreign.toString("pem"), licenseDocument: genuine.licenseDocument }),
    ).toHaveProperty("error");
  });

  it("refuses a missing license document, or one issued for another certificate", async () => {
    const a = await licensedClient();
    const b = await licensedClient();
    expect(await call({ ...a, licenseDocument: undefined })).toMatchObject({
      status: 403,
      body: { code: "MALFORMED" },
    });
    expect(await call({ ...a, licenseDocument: b.licenseDocument })).toMatchObject({
      status: 403,
      body: { code: "WRONG_KEY" },
    });
  });
});
