import https from "node:https";
import type { TLSSocket } from "node:tls";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { JSONWebKeySet } from "jose";
import { x509 } from "../../lib/licensing/x509";
import { verifyLicenseCertificate } from "../../lib/licensing/verify-license-certificate";
import {
  createLicenseDocumentVerifier,
  type LicenseDocumentVerifier,
} from "../../lib/licensing/verify-license-document";

/**
 * An example backend host that serves only licensed theaters. Nothing here
 * calls Guildhall per request: trust comes from the pinned root certificate,
 * the published license keys (JWKS) and the CRL, all fetched ahead.
 *
 * A theater's management client connects with mutual TLS, presenting its
 * certificate and chain, and sends its license document in the
 * `Guildhall-License` header. The host refuses:
 *  - at the TLS handshake, any certificate that does not chain to the org
 *    root or has expired (OpenSSL's own checks, rejectUnauthorized);
 *  - with 403 and a code, a certificate on the CRL (REVOKED, SUSPENDED), a
 *    CRL it could not get (CRL_STALE), and a missing, forged, expired or
 *    mismatched license document (see verifyLicenseDocument).
 */
export type MtlsHostOptions = {
  rootPem: string;
  /**
   * At a fork, the fork root's certificates for its origin's intermediates
   * (/.well-known/guildhall/ca/cross-signed.pem): with them a host trusting
   * the fork's root alone accepts what the origin issued, and checks it
   * against the CRLs the fork signs for the origin.
   */
  intermediatesPem?: string;
  serverCertPem: string;
  serverKeyPem: string;
  jwks: () => Promise<JSONWebKeySet>;
  /** The CRL at a distribution point URL, DER. */
  crl: (url: string) => Promise<Uint8Array>;
  issuer?: string;
  now?: () => Date;
};

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

function peerChainPem(socket: TLSSocket): string {
  const pems: string[] = [];
  let cert = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  while (cert?.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    pems.push(x509.PemConverter.encode(new Uint8Array(cert.raw), "CERTIFICATE"));
    cert = cert.issuerCertificate;
  }
  return pems.join("\n");
}

export async function checkLicensedPeer(
  req: IncomingMessage,
  opts: MtlsHostOptions,
  verifyDocument: LicenseDocumentVerifier,
) {
  const socket = req.socket as TLSSocket;
  const now = opts.now?.() ?? new Date();
  if (!socket.authorized)
    return { status: 401, body: { code: "UNTRUSTED", detail: String(socket.authorizationError) } };
  const chainPem = peerChainPem(socket);
  const leaf = new x509.X509Certificate(chainPem.split(/(?=-----BEGIN CERTIFICATE-----)/)[0]);
  const crlUrls =
    leaf
      .getExtension(x509.CRLDistributionPointsExtension)
      ?.distributionPoints.flatMap(
        (d) => d.distributionPoint?.fullName?.map((n) => n.uniformResourceIdentifier ?? "") ?? [],
      ) ?? [];
  let crls: Uint8Array[];
  try {
    crls = await Promise.all(crlUrls.filter(Boolean).map((u) => opts.crl(u)));
  } catch (e) {
    return {
      status: 403,
      body: { code: "CRL_STALE", detail: `could not get the CRL: ${e instanceof Error ? e.message : String(e)}` },
    };
  }
  if (crls.length === 0) return { status: 403, body: { code: "CRL_STALE", detail: "the certificate names no CRL" } };
  const trust = { rootPem: opts.rootPem, intermediatesPem: opts.intermediatesPem, crls };
  const cert = await verifyLicenseCertificate(chainPem, trust, now);
  if (!cert.valid) return { status: 403, body: { code: cert.code, detail: cert.detail } };
  const header = req.headers["guildhall-license"];
  if (typeof header !== "string")
    return {
      status: 403,
      body: { code: "MALFORMED", detail: "send the license document in the Guildhall-License header" },
    };
  const doc = await verifyDocument(header, {
    now,
    issuer: opts.issuer,
    certificate: cert.value,
    revocation: cert.value.revocation,
  });
  if (!doc.valid) return { status: 403, body: { code: doc.code, detail: doc.detail } };
  return {
    status: 200,
    body: {
      code: "VALID",
      theater: doc.value.license.theater,
      license: doc.value.license.id,
      entitlements: doc.value.license.entitlements,
      validUntil: doc.value.license.validUntil,
    },
  };
}

export async function createMtlsHost(opts: MtlsHostOptions): Promise<https.Server> {
  let verifier = createLicenseDocumentVerifier(await opts.jwks());
  let verifierAt = Date.now();
  // A new license key appears in the JWKS before it signs: refresh every 10 minutes, and at
  // most once a minute when a document names a kid not seen yet.
  const refresh = async (minAgeMs: number) => {
    if (Date.now() - verifierAt < minAgeMs) return false;
    verifier = createLicenseDocumentVerifier(await opts.jwks());
    verifierAt = Date.now();
    return true;
  };
  return https.createServer(
    {
      key: opts.serverKeyPem,
      cert: opts.serverCertPem,
      // OpenSSL builds the chain from these too: a cross-certificate links an origin-issued certificate to the fork's root.
      ca: [opts.rootPem, ...(opts.intermediatesPem ? [opts.intermediatesPem] : [])],
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: "TLSv1.2",
    },
    (req, res) => {
      (async () => {
        await refresh(600_000);
        let verdict = await checkLicensedPeer(req, opts, verifier);
        if (verdict.body.code === "UNKNOWN_KEY" && (await refresh(60_000)))
          verdict = await checkLicensedPeer(req, opts, verifier);
        send(res, verdict.status, verdict.body);
      })().catch((e: unknown) =>
        send(res, 500, { code: "INTERNAL", detail: e instanceof Error ? e.message : String(e) }),
      );
    },
  );
}
