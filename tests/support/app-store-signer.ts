import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CompactSign, importPKCS8 } from "jose";
import { x509 } from "@/lib/licensing/x509";

/**
 * A certificate chain of the tests' own, shaped like Apple's App Store signing
 * chain so that Apple's library checks it as it checks Apple's: a root CA, an
 * intermediate CA carrying Apple's intermediate marker extension
 * (1.2.840.113635.100.6.2.1) and a leaf carrying the App Store receipt-signing
 * marker (1.2.840.113635.100.6.11.1), all ECDSA P-256. Payloads are signed
 * ES256 with the chain in `x5c`, as the App Store signs notifications and
 * transactions. The root is written to a file: the portal reads Apple's roots
 * from a configured path, and in the tests that path holds this root.
 */
export type AppleTestPki = {
  rootPath: string;
  /** The folder of the root, which also holds the trusted leaf's key and chain (appleTestSignerIn reads them). */
  dir: string;
  /** Signs a payload as the App Store does (JWS compact, ES256, x5c chain). */
  sign(payload: object): Promise<string>;
  /** Signs with a leaf that does not chain to the configured root (a forged payload). */
  signWithForeignChain(payload: object): Promise<string>;
};

const EC = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGN = { name: "ECDSA", hash: "SHA-256" } as const;
const APPLE_INTERMEDIATE_MARKER = "1.2.840.113635.100.6.2.1";
const APPLE_LEAF_MARKER = "1.2.840.113635.100.6.11.1";
const ASN1_NULL = new Uint8Array([5, 0]);

async function keyPair(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(EC, true, ["sign", "verify"])) as CryptoKeyPair;
}

async function makeChain() {
  const notBefore = new Date(Date.now() - 86_400_000);
  const notAfter = new Date(Date.now() + 365 * 86_400_000);
  const rootKeys = await keyPair();
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: "CN=Guildhall Test Apple Root CA, O=Guildhall tests",
    notBefore,
    notAfter,
    keys: rootKeys,
    signingAlgorithm: SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const intermediateKeys = await keyPair();
  const intermediate = await x509.X509CertificateGenerator.create({
    serialNumber: "02",
    subject: "CN=Guildhall Test Apple Worldwide Developer Relations CA, O=Guildhall tests",
    issuer: root.subject,
    notBefore,
    notAfter,
    publicKey: intermediateKeys.publicKey,
    signingKey: rootKeys.privateKey,
    signingAlgorithm: SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      new x509.Extension(APPLE_INTERMEDIATE_MARKER, false, ASN1_NULL),
    ],
  });
  const leafKeys = await keyPair();
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: "03",
    subject: "CN=Guildhall Test Prod ECC Mac App Store and iTunes Store Receipt Signing, O=Guildhall tests",
    issuer: intermediate.subject,
    notBefore,
    notAfter,
    publicKey: leafKeys.publicKey,
    signingKey: intermediateKeys.privateKey,
    signingAlgorithm: SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.Extension(APPLE_LEAF_MARKER, false, ASN1_NULL),
    ],
  });
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey("pkcs8", leafKeys.privateKey)).toString("base64");
  const leafKey: LeafKey = {
    pkcs8Pem: `-----BEGIN PRIVATE KEY-----\n${pkcs8}\n-----END PRIVATE KEY-----`,
    x5c: [leaf, intermediate, root].map((c) => Buffer.from(c.rawData).toString("base64")),
  };
  return { root, leafKey, sign: await signerOf(leafKey) };
}

/** A leaf's private key and the chain it signs with (leaf, intermediate, root; base64 DER, as `x5c` carries it). */
type LeafKey = { pkcs8Pem: string; x5c: string[] };
const LEAF_FILE = "leaf-signing-key.json";

async function signerOf(leafKey: LeafKey) {
  const signingKey = await importPKCS8(leafKey.pkcs8Pem, "ES256");
  return (payload: object) =>
    new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: "ES256", x5c: leafKey.x5c })
      .sign(signingKey);
}

export async function makeAppleTestPki(): Promise<AppleTestPki> {
  const trusted = await makeChain();
  const foreign = await makeChain();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-apple-root-"));
  const rootPath = path.join(dir, "AppleRootCA-test.cer");
  fs.writeFileSync(rootPath, Buffer.from(trusted.root.rawData));
  // The trusted leaf's key beside its root, for a process other than the one that made them (the browser tests
  // sign in their workers for the portal the runner started, which trusts this root): test keys, never Apple's.
  fs.writeFileSync(path.join(dir, LEAF_FILE), JSON.stringify(trusted.leafKey), { mode: 0o600 });
  return { rootPath, dir, sign: trusted.sign, signWithForeignChain: foreign.sign };
}

/** Signs as the trusted chain of the AppleTestPki made in `dir` (by this process or another) does. */
export async function appleTestSignerIn(dir: string): Promise<AppleTestPki["sign"]> {
  return signerOf(JSON.parse(fs.readFileSync(path.join(dir, LEAF_FILE), "utf8")) as LeafKey);
}
