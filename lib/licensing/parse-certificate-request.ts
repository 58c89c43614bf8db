import "server-only";
import crypto from "node:crypto";
import { AppError, type FailureReason } from "@/lib/errors/app-error";
import type * as X509 from "@peculiar/x509";
import { loadX509 } from "@/lib/licensing/load-x509";
import { spkiSha256 } from "@/lib/licensing/certificate-facts";

export const MAX_CSR_PEM_CHARS = 16_384;

/**
 * The key types Guildhall certifies: ECDSA P-256 and Ed25519 (what browsers
 * make with WebCrypto), and RSA of 3072 to 8192 bits for theaters whose
 * tooling only does RSA (2048-bit RSA is below the 128-bit security level the
 * other two give, so it is refused).
 */
export type CertifiedKeyAlgorithm = "P-256" | "Ed25519" | `RSA-${number}`;

export type ParsedCertificateRequest = { spkiDer: ArrayBuffer; keyAlgorithm: CertifiedKeyAlgorithm; keySha256: string };

function refuse(reason: FailureReason, userMessage: string): never {
  throw new AppError("UNPROCESSABLE", { reason, userMessage });
}

function importRequestKey(spkiDer: ArrayBuffer): crypto.KeyObject {
  try {
    return crypto.createPublicKey({ key: Buffer.from(spkiDer), format: "der", type: "spki" });
  } catch {
    return refuse("KEY_TYPE_FORBIDDEN", "The request's public key is of a type Guildhall does not certify.");
  }
}

function classifyKey(key: crypto.KeyObject): CertifiedKeyAlgorithm {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === "ed25519") return "Ed25519";
  if (key.asymmetricKeyType === "ec" && details.namedCurve === "prime256v1") return "P-256";
  if (key.asymmetricKeyType === "rsa") {
    const bits = details.modulusLength ?? 0;
    if (bits < 3072) refuse("KEY_TOO_SMALL", `RSA keys must have at least 3072 bits; this one has ${bits}.`);
    if (bits > 8192) refuse("KEY_TYPE_FORBIDDEN", "RSA keys above 8192 bits are not certified.");
    return `RSA-${bits}`;
  }
  const named = key.asymmetricKeyType === "ec" ? `EC ${details.namedCurve}` : key.asymmetricKeyType;
  return refuse(
    "KEY_TYPE_FORBIDDEN",
    `Keys of type ${named} are not certified; use ECDSA P-256, Ed25519 or RSA of at least 3072 bits.`,
  );
}

const HASHES: Record<string, string> = { "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512" };

/**
 * Checks the request's signature with the key already imported for the
 * allow-list, on the calling thread: the library's own csr.verify() imports
 * the key a second time through WebCrypto, which cost more than the check.
 * The library parses the signature algorithm; only the signature schemes the
 * allowed keys make are accepted, anything else is an invalid signature.
 */
function requestSignatureMatches(csr: X509.Pkcs10CertificateRequest, key: crypto.KeyObject): boolean {
  const algorithm = csr.signatureAlgorithm as { name: string; hash?: { name: string }; saltLength?: number };
  const hash = algorithm.hash ? HASHES[algorithm.hash.name] : undefined;
  // The signed bytes as received (certificationRequestInfo); the library's typings mark the getter private.
  const data = new Uint8Array((csr as unknown as { tbs: ArrayBuffer }).tbs);
  const signature = new Uint8Array(csr.signature);
  try {
    switch (algorithm.name) {
      case "Ed25519":
        return key.asymmetricKeyType === "ed25519" && crypto.verify(null, data, key, signature);
      case "ECDSA": // X.509 carries ECDSA signatures DER-encoded, node:crypto's default form
        return !!hash && key.asymmetricKeyType === "ec" && crypto.verify(hash, data, key, signature);
      case "RSASSA-PKCS1-v1_5":
        return (
          !!hash &&
          key.asymmetricKeyType === "rsa" &&
          crypto.verify(hash, data, { key, padding: crypto.constants.RSA_PKCS1_PADDING }, signature)
        );
      case "RSA-PSS": // a saltLength left out of the parameters means 20 (RFC 4055)
        return (
          !!hash &&
          key.asymmetricKeyType === "rsa" &&
          crypto.verify(
            hash,
            data,
            { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: algorithm.saltLength ?? 20 },
            signature,
          )
        );
      default:
        return false;
    }
  } catch {
    return false;
  }
}

/**
 * Checks a PKCS#10 request, in order: PEM of bounded size (CSR_MALFORMED),
 * parseable DER (CSR_MALFORMED), a key type on the allow-list
 * (KEY_TYPE_FORBIDDEN, KEY_TOO_SMALL), and a signature made by that key
 * (CSR_SIGNATURE_INVALID), which proves the requester holds the private key.
 * The subject and any requested extensions are ignored: Guildhall decides
 * what the certificate says.
 */
export async function parseCertificateRequest(pem: string): Promise<ParsedCertificateRequest> {
  const x509 = await loadX509();
  if (typeof pem !== "string" || pem.length > MAX_CSR_PEM_CHARS)
    refuse("CSR_MALFORMED", "The certificate request is missing or too large.");
  const match =
    /-----BEGIN (NEW )?CERTIFICATE REQUEST-----([A-Za-z0-9+/=\s]+)-----END (NEW )?CERTIFICATE REQUEST-----/.exec(pem);
  if (!match) refuse("CSR_MALFORMED", "Not a PEM certificate request (BEGIN CERTIFICATE REQUEST).");
  let csr: X509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(Buffer.from(match[2].replace(/\s+/g, ""), "base64"));
  } catch {
    return refuse("CSR_MALFORMED", "The certificate request is not valid PKCS#10 (truncated or corrupted).");
  }
  const spkiDer = csr.publicKey.rawData;
  const key = importRequestKey(spkiDer);
  const keyAlgorithm = classifyKey(key);
  if (!requestSignatureMatches(csr, key))
    refuse("CSR_SIGNATURE_INVALID", "The certificate request's signature does not match its public key.");
  return { spkiDer, keyAlgorithm, keySha256: await spkiSha256(spkiDer) };
}
