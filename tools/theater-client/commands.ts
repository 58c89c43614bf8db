import fs from "node:fs";
import path from "node:path";
import https from "node:https";
import type { JSONWebKeySet } from "jose";
import { x509 } from "../../lib/licensing/x509";
import { verifyLicenseCertificate } from "../../lib/licensing/verify-license-certificate";
import { createLicenseDocumentVerifier } from "../../lib/licensing/verify-license-document";
import { files, readConfig, readFile, saveConfig, writeFile } from "./client-files";

const keyAlgorithms = {
  p256: { generate: { name: "ECDSA", namedCurve: "P-256" }, sign: { name: "ECDSA", hash: "SHA-256" } },
  ed25519: { generate: { name: "Ed25519" }, sign: { name: "Ed25519" } },
} as const;

/** keygen: a new key pair and a PKCS#10 request for it. An existing key is never overwritten. */
export async function keygen(dir: string, alg: string) {
  const chosen = keyAlgorithms[alg as keyof typeof keyAlgorithms];
  if (!chosen) throw new Error(`--alg must be p256 or ed25519`);
  if (fs.existsSync(path.join(dir, files.key)))
    throw new Error(`${path.join(dir, files.key)} exists; use another --dir to re-key`);
  const keys = (await crypto.subtle.generateKey(chosen.generate, true, ["sign", "verify"])) as CryptoKeyPair;
  writeFile(
    dir,
    files.key,
    x509.PemConverter.encode(await crypto.subtle.exportKey("pkcs8", keys.privateKey), "PRIVATE KEY"),
    0o600,
  );
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: "CN=guildhall-theater",
    keys,
    signingAlgorithm: chosen.sign,
  });
  writeFile(dir, files.csr, csr.toString("pem"));
  return { key: path.join(dir, files.key), csr: path.join(dir, files.csr) };
}

async function api(url: string, token: string, init: RequestInit = {}) {
  const res = await fetch(url, {
    ...init,
    headers: { ...(init.headers ?? {}), authorization: `Bearer ${token}`, "content-type": "application/json" },
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown> & {
    error?: { code: string; reason?: string; message: string };
  };
  if (!res.ok)
    throw new Error(
      `${res.status} ${body.error?.reason ?? body.error?.code ?? ""}: ${body.error?.message ?? res.statusText}`,
    );
  return body;
}

function saveBundle(dir: string, bundle: Record<string, unknown>) {
  writeFile(dir, files.certificate, String(bundle.certificatePem));
  writeFile(dir, files.chain, String(bundle.chainPem));
  writeFile(dir, files.licenseDocument, String(bundle.licenseDocument));
  return { serialHex: bundle.serialHex, notAfter: bundle.notAfter };
}

/** request: uploads the request with the theater's API token and saves the certificate, chain and license document. */
export async function request(dir: string, url: string, licenseId: string, token: string) {
  const base = url.replace(/\/+$/, "");
  const bundle = await api(`${base}/api/licensing/licenses/${encodeURIComponent(licenseId)}/certificates`, token, {
    method: "POST",
    body: JSON.stringify({ csr: readFile(dir, files.csr) }),
  });
  saveConfig(dir, { url: base, licenseId });
  return saveBundle(dir, bundle);
}

/** fetch: the newest certificate of the license (after a renewal, Guildhall re-issues it for the same key). */
export async function fetchBundle(dir: string, token: string) {
  const { url, licenseId } = readConfig(dir);
  if (!url || !licenseId) throw new Error(`run request first (no ${files.config} in ${dir})`);
  return saveBundle(
    dir,
    await api(`${url}/api/licensing/licenses/${encodeURIComponent(licenseId)}/certificates`, token),
  );
}

/**
 * verify: checks the saved certificate and license document as a host does,
 * offline against public material: the pinned root (--root, else fetched),
 * the license JWKS and the CRL named in the certificate.
 */
export async function verify(dir: string, opts: { rootPath?: string; jwksPath?: string; crlPath?: string }) {
  const { url } = readConfig(dir);
  const get = async (u: string) => {
    const res = await fetch(u);
    if (!res.ok) throw new Error(`${u}: HTTP ${res.status}`);
    return res;
  };
  const certPem = `${readFile(dir, files.certificate)}${readFile(dir, files.chain)}`;
  const rootPem = opts.rootPath
    ? fs.readFileSync(opts.rootPath, "utf8")
    : await (await get(`${url}/.well-known/guildhall/ca/root.pem`)).text();
  const jwks = opts.jwksPath
    ? (JSON.parse(fs.readFileSync(opts.jwksPath, "utf8")) as JSONWebKeySet)
    : ((await (await get(`${url}/.well-known/guildhall/license-keys.json`)).json()) as JSONWebKeySet);
  const leaf = new x509.X509Certificate(readFile(dir, files.certificate));
  const crlUrl = leaf.getExtension(x509.CRLDistributionPointsExtension)?.distributionPoints[0]?.distributionPoint
    ?.fullName?.[0]?.uniformResourceIdentifier;
  const crl = opts.crlPath
    ? new Uint8Array(fs.readFileSync(opts.crlPath))
    : crlUrl
      ? new Uint8Array(await (await get(crlUrl)).arrayBuffer())
      : undefined;
  const cert = await verifyLicenseCertificate(certPem, { rootPem, crls: crl ? [crl] : [] });
  if (!cert.valid) return cert;
  return createLicenseDocumentVerifier(jwks)(readFile(dir, files.licenseDocument).trim(), {
    certificate: cert.value,
    revocation: cert.value.revocation,
  });
}

/** connect: presents the certificate over mutual TLS to a host and prints its answer. */
export function connect(dir: string, hostUrl: string, hostCaPath?: string) {
  const u = new URL(hostUrl);
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const req = https.request(
      {
        host: u.hostname,
        port: u.port || 443,
        path: u.pathname + u.search,
        key: readFile(dir, files.key),
        cert: `${readFile(dir, files.certificate)}${readFile(dir, files.chain)}`,
        ca: hostCaPath ? fs.readFileSync(hostCaPath, "utf8") : undefined,
        headers: { "guildhall-license": readFile(dir, files.licenseDocument).trim() },
        agent: false,
      },
      (res) => {
        let data = "";
        res.on("data", (c) => (data += c));
        res.on("end", () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) });
          } catch {
            resolve({ status: res.statusCode ?? 0, body: data });
          }
        });
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/**
 * export: the theater's signed backup (docs/EXPORTS.md), saved as Guildhall
 * answered it, byte for byte. Another Guildhall imports it with
 * `cli theater import FILE --origin-keys <this Guildhall>/.well-known/guildhall/export-keys`.
 */
export async function exportBackup(opts: { dir: string; url?: string; theaterId: string; out: string }, token: string) {
  const base = (opts.url ?? readConfig(opts.dir).url)?.replace(/\/+$/, "");
  if (!base) throw new Error(`give --url (or run request first, which saves it in ${files.config})`);
  const res = await fetch(`${base}/api/licensing/theaters/${encodeURIComponent(opts.theaterId)}/backup`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  if (!res.ok) {
    const error = (JSON.parse(text || "{}") as { error?: { reason?: string; code?: string; message?: string } }).error;
    throw new Error(`${res.status} ${error?.reason ?? error?.code ?? ""}: ${error?.message ?? res.statusText}`);
  }
  fs.writeFileSync(opts.out, text, { mode: 0o600 });
  const { backup } = JSON.parse(text) as {
    backup: { theater: { slug: string }; licenses: unknown[]; orders: unknown[] };
  };
  return {
    file: opts.out,
    theater: backup.theater.slug,
    licenses: backup.licenses.length,
    orders: backup.orders.length,
  };
}
