import crypto from "node:crypto";
import { AppError } from "@/lib/errors/app-error";
import { x509 } from "@/lib/licensing/x509";
import { spkiSha256 } from "@/lib/licensing/certificate-facts";

export const MAX_CSR_PEM_CHARS = 16_384;

/**
 * The key types Guildhall certifies: ECDSA P-256 and Ed25519 (what browsers
 * make with WebCrypto), and RSA of 3072 to 8192 bits for theaters whose
 * tooling only does RSA (2048-bit RSA is below the 128-bit security level the
 * other two give, so it is refused).
 */
export type CertifiedKeyAlgorithm = "P-256" | "Ed25519" | `RSA-${number}`;

export type ParsedCertificateRequest = { spkiDer: ArrayBuffer; publicKey: x509.PublicKey; keyAlgorithm: CertifiedKeyAlgorithm; keySha256: string };

function refuse(reason: string, userMessage: string): never {
  throw new AppError("UNPROCESSABLE", { reason, userMessage });
}

function classifyKey(spkiDer: ArrayBuffer): CertifiedKeyAlgorithm {
  let key: crypto.KeyObject;
  try {
    key = crypto.createPublicKey({ key: Buffer.from(spkiDer), format: "der", type: "spki" });
  } catch {
    return refuse("KEY_TYPE_FORBIDDEN", "The request's public key is of a type Guildhall does not certify.");
  }
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
  return refuse("KEY_TYPE_FORBIDDEN", `Keys of type ${named} are not certified; use ECDSA P-256, Ed25519 or RSA of at least 3072 bits.`);
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
  if (typeof pem !== "string" || pem.length > MAX_CSR_PEM_CHARS) refuse("CSR_MALFORMED", "The certificate request is missing or too large.");
  const match = /-----BEGIN (NEW )?CERTIFICATE REQUEST-----([A-Za-z0-9+/=\s]+)-----END (NEW )?CERTIFICATE REQUEST-----/.exec(pem);
  if (!match) refuse("CSR_MALFORMED", "Not a PEM certificate request (BEGIN CERTIFICATE REQUEST).");
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(Buffer.from(match[2].replace(/\s+/g, ""), "base64"));
  } catch {
    return refuse("CSR_MALFORMED", "The certificate request is not valid PKCS#10 (truncated or corrupted).");
  }
  const spkiDer = csr.publicKey.rawData;
  const keyAlgorithm = classifyKey(spkiDer);
  let signatureValid = false;
  try {
    signatureValid = await csr.verify();
  } catch {
    signatureValid = false;
  }
  if (!signatureValid) refuse("CSR_SIGNATURE_INVALID", "The certificate request's signature does not match its public key.");
  return { spkiDer, publicKey: csr.publicKey, keyAlgorithm, keySha256: await spkiSha256(spkiDer) };
}
