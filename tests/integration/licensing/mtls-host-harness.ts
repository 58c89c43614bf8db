import https from "node:https";
import type { AddressInfo } from "node:net";
import { x509 } from "@/lib/licensing/x509";
import { getPublicJwks } from "@/lib/keys/get-public-jwks";
import { getCurrentCrl } from "@/lib/licensing/get-current-crl";
import { issueLicenseCertificate } from "@/lib/licensing/issue-license-certificate";
import { createMtlsHost, type MtlsHostOptions } from "@/examples/mtls-host/create-mtls-host";
import { makeCsr, seedActiveLicense, type KeyKind } from "./helpers";

/** What a theater presents to a host: its key, its certificate with the chain, its license document. */
export type TheaterClient = { keyPem: string; certPem: string; chainPem?: string; licenseDocument?: string };

/** A self-signed P-256 certificate for localhost that may sign others (a TLS server's, or a foreign CA's). */
export async function selfSignedCa(name: string) {
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

/** A theater with an active license and a certificate of the given key type, as the theater client gets them. */
export async function licensedClient(
  kind: KeyKind = "P-256",
  opts: { now?: Date; termDays?: number; paidAt?: Date } = {},
) {
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

/**
 * The example mTLS host on a loopback port, with a TLS certificate of its own, the license keys of this portal
 * and its CRLs as of `now` (each passed to `checkCrl` first, when given). `call` makes one request over a fresh
 * mTLS connection and resolves with the status and body, or the TLS error.
 */
export async function startMtlsHost(
  trust: Pick<MtlsHostOptions, "rootPem" | "intermediatesPem" | "issuer" | "now">,
  checkCrl?: (crl: x509.X509Crl) => void,
) {
  const tls = await selfSignedCa("CN=localhost");
  const serverCertPem = tls.cert.toString("pem");
  const server = await createMtlsHost({
    ...trust,
    serverCertPem,
    serverKeyPem: tls.keyPem,
    jwks: () => getPublicJwks(["license"]),
    crl: async (url) => {
      const caId = /\/ca\/([^/]+)\.crl$/.exec(url)?.[1] ?? "";
      const crl = await getCurrentCrl(caId, trust.now?.());
      if (!crl) throw new Error(`no CRL at ${url}`);
      checkCrl?.(new x509.X509Crl(crl.der));
      return crl.der;
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
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
  const close = () => new Promise((resolve) => server.close(resolve));
  return { call, close };
}
