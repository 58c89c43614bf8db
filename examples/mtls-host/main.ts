import fs from "node:fs";
import { parseArgs } from "node:util";
import type { JSONWebKeySet } from "jose";
import { x509 } from "../../lib/licensing/x509";
import { createMtlsHost } from "./create-mtls-host";

/**
 * Runs the example host:
 *   npx tsx examples/mtls-host/main.ts --guildhall https://guildhall.example \
 *     --root root.pem [--intermediates cross-signed.pem] --cert host.pem --key host-key.pem [--port 8443]
 * The root certificate is pinned from a file (fetch it once from
 * /.well-known/guildhall/ca/root.pem and check its fingerprint out of band).
 * Without --cert/--key it makes a self-signed localhost certificate and
 * writes it to host-cert.pem for clients to trust.
 */
const { values } = parseArgs({
  options: {
    guildhall: { type: "string" },
    root: { type: "string" },
    intermediates: { type: "string" },
    cert: { type: "string" },
    key: { type: "string" },
    port: { type: "string", default: "8443" },
  },
});
if (!values.guildhall || !values.root) {
  console.error(
    "usage: main.ts --guildhall URL --root ROOT.pem [--intermediates CROSS.pem] [--cert host.pem --key host-key.pem] [--port 8443]",
  );
  process.exit(2);
}
const guildhall = values.guildhall.replace(/\/+$/, "");

async function selfSigned() {
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const keys = (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: "CN=localhost",
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.SubjectAlternativeNameExtension([
        { type: "dns", value: "localhost" },
        { type: "ip", value: "127.0.0.1" },
      ]),
    ],
  });
  const certPem = cert.toString("pem");
  fs.writeFileSync("host-cert.pem", certPem);
  return {
    certPem,
    keyPem: x509.PemConverter.encode(await crypto.subtle.exportKey("pkcs8", keys.privateKey), "PRIVATE KEY"),
  };
}

// CRLs are cached until half their life has passed, so the host asks Guildhall at most a few times a day.
const crlCache = new Map<string, { der: Uint8Array; refreshAt: number }>();
// A certificate a fork's origin issued names the origin's CRL address: the same file is fetched from the Guildhall
// this host trusts, which at a fork signs current CRLs for its origin's intermediates (docs/EXPORTS.md).
async function crl(named: string): Promise<Uint8Array> {
  const { pathname } = new URL(named);
  if (!/^\/\.well-known\/guildhall\/ca\/[A-Za-z0-9_-]+\.crl$/.test(pathname))
    throw new Error(`${named} is not a Guildhall CRL address`);
  const url = `${guildhall}${pathname}`;
  const cached = crlCache.get(url);
  if (cached && Date.now() < cached.refreshAt) return cached.der;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  const der = new Uint8Array(await res.arrayBuffer());
  const parsed = new x509.X509Crl(der);
  const life = (parsed.nextUpdate?.getTime() ?? Date.now() + 600_000) - parsed.thisUpdate.getTime();
  crlCache.set(url, { der, refreshAt: Math.min(Date.now() + life / 2, Date.now() + 300_000) });
  return der;
}

const tls =
  values.cert && values.key
    ? { certPem: fs.readFileSync(values.cert, "utf8"), keyPem: fs.readFileSync(values.key, "utf8") }
    : await selfSigned();
const server = await createMtlsHost({
  rootPem: fs.readFileSync(values.root, "utf8"),
  intermediatesPem: values.intermediates ? fs.readFileSync(values.intermediates, "utf8") : undefined,
  serverCertPem: tls.certPem,
  serverKeyPem: tls.keyPem,
  issuer: guildhall,
  jwks: async () =>
    (await (await fetch(`${guildhall}/.well-known/guildhall/license-keys.json`)).json()) as JSONWebKeySet,
  crl,
});
server.listen(Number(values.port), () => console.log(`mtls host listening on https://localhost:${values.port}`));
