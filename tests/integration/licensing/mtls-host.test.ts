import https from "node:https";
import type { AddressInfo } from "node:net";
import type { Server } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { x509 } from "@/lib/licensing/x509";
import { getPublicJwks } from "@/lib/keys/get-public-jwks";
import { getActiveSigningKey } from "@/lib/keys/get-active-signing-key";
import { env } from "@/lib/config/env";
import { issueLicenseCertificate } from "@/lib/licensing/issue-license-certificate";
import { getCurrentCrl } from "@/lib/licensing/get-current-crl";
import { revokeLicense } from "@/lib/licensing/revoke-license";
import { suspendLicense } from "@/lib/licensing/suspend-license";
import { createMtlsHost } from "@/examples/mtls-host/create-mtls-host";
import { DAY_MS, makeCsr, seedActiveLicense, setupCa, type KeyKind } from "./helpers";

let server: Server;
let port: number;
let serverCertPem: string;

async function selfSignedCa(name: string) {
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const keys = (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name,
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.SubjectAlternativeNameExtension([{ type: "dns", value: "localhost" }]),
    ],
  });
  return {
    cert,
    keys,
    keyPem: x509.PemConverter.encode(await crypto.subtle.exportKey("pkcs8", keys.privateKey), "PRIVATE KEY"),
  };
}

beforeAll(async () => {
  const ca = await setupCa();
  await getActiveSigningKey("license"); // the host fetches the JWKS once at start
  const tls = await selfSignedCa("CN=localhost");
  serverCertPem = tls.cert.toString("pem");
  server = await createMtlsHost({
    rootPem: ca.rootCertificatePem,
    serverCertPem,
    serverKeyPem: tls.keyPem,
    issuer: env().publicUrl,
    jwks: () => getPublicJwks(["license"]),
    crl: async (url) => {
      const caId = /\/ca\/([^/]+)\.crl$/.exec(url)?.[1] ?? "";
      const crl = await getCurrentCrl(caId);
      if (!crl) throw new Error(`no CRL at ${url}`);
      return crl.der;
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** One request over a fresh mTLS connection; resolves with the status and body, or the TLS error. */
function call(client: { keyPem: string; certPem: string; chainPem?: string; licenseDocument?: string }) {
  return new Promise<{ status: number; body: { code: string } } | { error: string }>((resolve) => {
    const req = https.request(
      {
        host: "127.0.0.1",
        servername: "localhost",
        port,
        path: "/",
        agent: false,
        key: client.keyPem,
        cert: `${client.certPem.trim()}\n${client.chainPem ?? ""}`,
        ca: serverCertPem,
        headers: client.licenseDocument ? { "guildhall-license": client.licenseDocument } : {},
      },
      (res) => {
        let data = "";
        res.on("data", (c) => (data += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) }));
      },
    );
    req.on("error", (e) => resolve({ error: e.message }));
    req.end();
  });
}

async function licensedClient(kind: KeyKind = "P-256", opts: { now?: Date; termDays?: number; paidAt?: Date } = {}) {
  const seeded = await seedActiveLicense({ termDays: opts.termDays, paidAt: opts.paidAt });
  const { csrPem, keyPem } = await makeCsr(kind);
  const { certificate, chainPem } = await issueLicenseCertificate({
    licenseId: seeded.license.id,
    csrPem,
    actor: { type: "user", id: seeded.admin.id },
    now: opts.now,
  });
  return {
    ...seeded,
    keyPem,
    certPem: certificate.certificatePem,
    chainPem,
    licenseDocument: certificate.licenseDocument,
    certificate,
  };
}

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
