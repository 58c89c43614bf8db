"use client";
import { useState } from "react";
import { x509 } from "@/lib/licensing/x509";
import { downloadUrl } from "./download-url";
import { callApi, describeFailure } from "@/app/call-api";
import { Button } from "@/app/button";
import { useHydrated } from "@/app/use-hydrated";

type Bundle = {
  serialHex: string;
  notAfter: string;
  certificatePem: string;
  chainPem: string;
  licenseDocument: string;
  log: { status: string; index: number } | null;
};

const algorithms = {
  "P-256": { generate: { name: "ECDSA", namedCurve: "P-256" }, sign: { name: "ECDSA", hash: "SHA-256" } },
  Ed25519: { generate: { name: "Ed25519" }, sign: { name: "Ed25519" } },
} as const;

/**
 * Makes the theater's key pair in this browser with WebCrypto, builds the
 * PKCS#10 request here, and sends only the request. The private key is
 * offered as a PKCS#8 PEM download and never leaves the browser otherwise.
 */
export function CertificatePanel({ licenseId, hasCertificate }: { licenseId: string; hasCertificate: boolean }) {
  // The key type lives in React's state, which the button reads: the choice waits until React runs.
  const hydrated = useHydrated();
  const [alg, setAlg] = useState<keyof typeof algorithms>("P-256");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [keyPem, setKeyPem] = useState<string | null>(null);
  const [bundle, setBundle] = useState<Bundle | null>(null);

  async function certify() {
    setBusy(true);
    setError(null);
    try {
      const { generate, sign } = algorithms[alg];
      const keys = (await crypto.subtle.generateKey(generate, true, ["sign", "verify"])) as CryptoKeyPair;
      const pkcs8 = x509.PemConverter.encode(await crypto.subtle.exportKey("pkcs8", keys.privateKey), "PRIVATE KEY");
      setKeyPem(pkcs8);
      // Guildhall ignores the subject; it is there because PKCS#10 requires one.
      const csr = await x509.Pkcs10CertificateRequestGenerator.create({
        name: `CN=${licenseId}`,
        keys,
        signingAlgorithm: sign,
      });
      setBundle(
        await callApi<Bundle>("POST", `/api/licensing/licenses/${licenseId}/certificates`, {
          csr: csr.toString("pem"),
        }),
      );
    } catch (e) {
      setError(describeFailure(e, { withReason: true }));
    } finally {
      setBusy(false);
    }
  }

  async function current() {
    setError(null);
    const res = await fetch(`/api/licensing/licenses/${licenseId}/certificates`);
    const data = await res.json();
    if (!res.ok) setError(data.error?.message ?? `HTTP ${res.status}`);
    else setBundle(data as Bundle);
  }

  return (
    <div className="space-y-2" data-testid={`certificate-panel-${licenseId}`}>
      <div className="flex flex-wrap items-center gap-2">
        <label className="text-sm" htmlFor={`alg-${licenseId}`}>
          Key type
        </label>
        <select
          id={`alg-${licenseId}`}
          className="input w-auto"
          value={alg}
          disabled={!hydrated}
          onChange={(e) => setAlg(e.target.value as keyof typeof algorithms)}
          data-testid="key-algorithm"
        >
          <option value="P-256">ECDSA P-256</option>
          <option value="Ed25519">Ed25519</option>
        </select>
        <Button type="button" className="btn" disabled={busy} onClick={certify} data-testid="make-key-and-certify">
          {busy ? "Making key…" : hasCertificate ? "New key and certificate" : "Make key and get certificate"}
        </Button>
        {hasCertificate && !bundle && (
          <Button type="button" className="btn-secondary" onClick={current} data-testid="show-current-certificate">
            Current certificate
          </Button>
        )}
      </div>
      {error && (
        <p role="alert" className="text-sm text-red-700" data-testid="certificate-error">
          {error}
        </p>
      )}
      {keyPem && (
        <p className="text-sm">
          Your private key was made in this browser and is not sent to Guildhall.{" "}
          <a
            className="underline"
            href={downloadUrl(keyPem)}
            download={`${licenseId}-key.pem`}
            data-testid="download-key"
          >
            Save the private key (PKCS#8 PEM)
          </a>
          : it is shown only now.
        </p>
      )}
      {bundle && (
        <div className="space-y-1 text-sm" data-testid="certificate-bundle">
          <p>
            Certificate <code data-testid="certificate-serial">{bundle.serialHex}</code>, valid until{" "}
            {new Date(bundle.notAfter).toISOString().slice(0, 10)}.
          </p>
          <p className="flex flex-wrap gap-3">
            <a
              className="underline"
              href={downloadUrl(bundle.certificatePem)}
              download={`${licenseId}-cert.pem`}
              data-testid="download-certificate"
            >
              Certificate
            </a>
            <a
              className="underline"
              href={downloadUrl(bundle.chainPem)}
              download={`${licenseId}-chain.pem`}
              data-testid="download-chain"
            >
              Chain
            </a>
            <a
              className="underline"
              href={downloadUrl(bundle.licenseDocument, "application/jose")}
              download={`${licenseId}.license.jws`}
              data-testid="download-license"
            >
              License document
            </a>
            {bundle.log?.status === "integrated" && (
              <a
                className="underline"
                href={downloadUrl(JSON.stringify(bundle.log, null, 2), "application/json")}
                download={`${licenseId}.log-receipt.json`}
                data-testid="download-log-receipt"
              >
                Log receipt (entry {bundle.log.index}, with its inclusion proof)
              </a>
            )}
          </p>
          {bundle.log?.status === "awaiting_integration" && (
            <p>
              Logged as entry {bundle.log.index} of the public log; its inclusion proof follows within a second (reload
              this page to see it).
            </p>
          )}
        </div>
      )}
    </div>
  );
}
