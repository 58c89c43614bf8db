import https from "node:https";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";
import { x509 } from "@/lib/licensing/x509";
import { getPublicJwks } from "@/lib/keys/get-public-jwks";
import { getCurrentCrl } from "@/lib/licensing/get-current-crl";
import { getPublishedCaFile } from "@/lib/licensing/get-published-ca-file";
import { issueLicenseCertificate } from "@/lib/licensing/issue-license-certificate";
import { revokeLicense } from "@/lib/licensing/revoke-license";
import { createMtlsHost } from "@/examples/mtls-host/create-mtls-host";
import { makeCsr, seedActiveLicense } from "@/tests/integration/licensing/helpers";

type TheaterClient = { keyPem: string; certPem: string; chainPem: string; licenseDocument: string };

/** At the origin, before its export: a theater's certificate with its key, and another whose license is revoked. */
export async function originTheaterClients(): Promise<{ good: TheaterClient; revoked: TheaterClient }> {
  const client = async () => {
    const seeded = await seedActiveLicense();
    const { csrPem, keyPem } = await makeCsr("P-256");
    const { certificate, chainPem } = await issueLicenseCertificate({
      licenseId: seeded.license.id,
      csrPem,
      actor: { type: "user", id: seeded.admin.id },
    });
    return {
      licenseId: seeded.license.id,
      keyPem,
      certPem: certificate.certificatePem,
      chainPem,
      licenseDocument: certificate.licenseDocument,
    };
  };
  const good = await client();
  const revoked = await client();
  await revokeLicense({
    licenseId: revoked.licenseId,
    reason: "Fraudulent purchase.",
    actor: { type: "system", id: "test" },
  });
  return { good, revoked };
}

/**
 * At the fork, after `ca init`: the example mTLS host configured with the fork's trust material only (its
 * root.pem, cross-signed.pem, license keys and CRLs; not the origin's root) accepts the origin's certificate
 * and refuses the revoked one, a day and more after the origin's last CRL ended (the fork signs them now).
 */
export async function expectForkMtlsHostTrustsOrigin(clients: { good: TheaterClient; revoked: TheaterClient }) {
  const rootPem = (await getPublishedCaFile("root.pem"))?.body.toString() ?? "";
  const intermediatesPem = (await getPublishedCaFile("cross-signed.pem"))?.body.toString() ?? "";
  expect(intermediatesPem).toContain("BEGIN CERTIFICATE");
  const originIssuer = new x509.X509Certificate(clients.good.certPem).issuer;
  expect(rootPem.split("BEGIN CERTIFICATE")).toHaveLength(2);
  const later = new Date(Date.now() + 30 * 3_600_000);
  const tlsKeys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const serverCert = await x509.X509CertificateGenerator.createSelfSigned({
    name: "CN=localhost",
    keys: tlsKeys,
    signingAlgorithm: { name: "ECDSA", hash: "SHA-256" },
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: "dns", value: "localhost" }])],
  });
  const server = await createMtlsHost({
    rootPem,
    intermediatesPem,
    serverCertPem: serverCert.toString("pem"),
    serverKeyPem: x509.PemConverter.encode(await crypto.subtle.exportKey("pkcs8", tlsKeys.privateKey), "PRIVATE KEY"),
    jwks: () => getPublicJwks(["license"]),
    now: () => later,
    crl: async (url) => {
      const caId = /\/ca\/([^/]+)\.crl$/.exec(url)?.[1] ?? "";
      const crl = await getCurrentCrl(caId, later);
      if (!crl) throw new Error(`no CRL at ${url}`);
      const parsed = new x509.X509Crl(crl.der);
      // The fork's own CRL for its origin's intermediate, current at `later`, not the origin's last one.
      expect(parsed.issuer).toBe(originIssuer);
      expect(parsed.nextUpdate && parsed.nextUpdate > later).toBe(true);
      return crl.der;
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const { port } = server.address() as AddressInfo;
    const call = (client: TheaterClient) =>
      new Promise<{ status: number; body: { code: string } } | { error: string }>((resolve) => {
        const req = https.request(
          {
            host: "127.0.0.1",
            servername: "localhost",
            port,
            path: "/",
            agent: false,
            key: client.keyPem,
            cert: `${client.certPem.trim()}\n${client.chainPem}`,
            ca: serverCert.toString("pem"),
            headers: { "guildhall-license": client.licenseDocument },
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
    expect(await call(clients.good)).toMatchObject({ status: 200, body: { code: "VALID" } });
    expect(await call(clients.revoked)).toMatchObject({ status: 403, body: { code: "REVOKED" } });
  } finally {
    await new Promise((r) => server.close(r));
  }
}
