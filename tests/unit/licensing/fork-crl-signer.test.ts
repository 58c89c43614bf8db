import { beforeAll, describe, expect, it } from "vitest";
import { x509 } from "@/lib/licensing/x509";
import { licenseUri } from "@/lib/licensing/license-urls";
import { verifyLicenseCertificate } from "@/lib/licensing/verify-license-certificate";

// An origin's PKI and a fork's, in memory, made as lib/licensing/cross-sign-predecessors.ts makes them: the
// fork's root cross-signs the origin's intermediate and certifies a CRL signer of its name (cRLSign only).
const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
const HOUR = 3_600_000;
const now = new Date("2030-01-01T00:00:00Z");
const keyPair = async () => (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;

async function root(name = "CN=Guildhall Root CA, O=Guildhall") {
  const keys = await keyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name,
    keys,
    notBefore: new Date(now.getTime() - HOUR),
    notAfter: new Date(now.getTime() + 1000 * HOUR),
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  return { cert, keys };
}

async function issue(
  by: { cert: x509.X509Certificate; keys: CryptoKeyPair },
  subject: string,
  publicKey: CryptoKey | x509.PublicKey,
  extensions: x509.Extension[],
) {
  return x509.X509CertificateGenerator.create({
    subject,
    issuer: by.cert.subject,
    publicKey,
    signingKey: by.keys.privateKey,
    notBefore: new Date(now.getTime() - HOUR),
    notAfter: new Date(now.getTime() + 500 * HOUR),
    signingAlgorithm: alg,
    extensions,
  });
}

const caUsage = (flags: number) => [
  new x509.BasicConstraintsExtension(true, 0, true),
  new x509.KeyUsagesExtension(flags, true),
];

async function crl(by: { keys: CryptoKeyPair }, issuer: string, thisUpdate: Date, revoked: string[] = []) {
  return x509.X509CrlGenerator.create({
    issuer,
    thisUpdate,
    nextUpdate: new Date(thisUpdate.getTime() + 24 * HOUR),
    signingKey: by.keys.privateKey,
    signingAlgorithm: alg,
    entries: revoked.map((serialNumber) => ({ serialNumber, revocationDate: thisUpdate })),
  }).then((c) => c.toString("pem"));
}

async function world() {
  const originRoot = await root();
  const issuing = "CN=Guildhall Issuing CA 2029-12-01 abc123, O=Guildhall";
  const intermediateKeys = await keyPair();
  const intermediate = {
    keys: intermediateKeys,
    cert: await issue(
      originRoot,
      issuing,
      intermediateKeys.publicKey,
      caUsage(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign),
    ),
  };
  const leaf = async (serial: string) =>
    x509.X509CertificateGenerator.create({
      serialNumber: serial,
      subject: "CN=theater",
      issuer: issuing,
      publicKey: (await keyPair()).publicKey,
      signingKey: intermediateKeys.privateKey,
      notBefore: new Date(now.getTime() - HOUR),
      notAfter: new Date(now.getTime() + 100 * HOUR),
      signingAlgorithm: alg,
      extensions: [
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
        new x509.SubjectAlternativeNameExtension([{ type: "url", value: licenseUri("org_1", `lic_${serial}`) }]),
      ],
    });
  const forkRoot = await root();
  const cross = await issue(forkRoot, issuing, intermediate.cert.publicKey, caUsage(x509.KeyUsageFlags.keyCertSign));
  const signerKeys = await keyPair();
  const signer = {
    keys: signerKeys,
    cert: await issue(forkRoot, issuing, signerKeys.publicKey, [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.cRLSign, true),
    ]),
  };
  // The origin's last CRL, long past its nextUpdate at the fork.
  const originCrl = await crl(intermediate, issuing, new Date(now.getTime() - 48 * HOUR), ["0bad"]);
  return { originRoot, intermediate, forkRoot, cross, signer, issuing, originCrl, good: await leaf("0a01") };
}

describe("a fork's trust material for what its origin issued", () => {
  // One world for both tests (neither changes it): making its keys and certificates is most of their work, which
  // ran past the 5 s a test has when the unit tests shared a loaded machine.
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    w = await world();
  });

  it("chains an origin certificate to the fork's root alone through the cross-certificate, and checks it against the fork's CRL", async () => {
    const trust = (crls: string[], extra: x509.X509Certificate[] = []) => ({
      rootPem: w.forkRoot.cert.toString("pem"),
      intermediatesPem: [w.cross, w.signer.cert, ...extra].map((c) => c.toString("pem")).join("\n"),
      crls,
    });
    const chain = `${w.good.toString("pem")}\n${w.intermediate.cert.toString("pem")}`;
    // The origin's own CRL has expired: a host that requires a current CRL refuses.
    expect((await verifyLicenseCertificate(chain, trust([w.originCrl]), now)).code).toBe("CRL_STALE");
    // The fork's current CRL for the origin's intermediate, signed by its CRL signer, serves.
    const forkCrl = await crl(w.signer, w.issuing, now);
    expect((await verifyLicenseCertificate(chain, trust([w.originCrl, forkCrl]), now)).code).toBe("VALID");
    const revoking = await crl(w.signer, w.issuing, now, ["0a01"]);
    expect((await verifyLicenseCertificate(chain, trust([revoking]), now)).code).toBe("REVOKED");
    // Without the cross-certificate the fork's root alone does not vouch for the origin's intermediate.
    const noCross = { ...trust([forkCrl]), intermediatesPem: w.signer.cert.toString("pem") };
    expect((await verifyLicenseCertificate(chain, noCross, now)).code).toBe("UNTRUSTED");
  });

  it("refuses a CRL signed by a same-named key that no trusted root made a CRL signer, or that may not sign CRLs", async () => {
    const chain = `${w.good.toString("pem")}\n${w.intermediate.cert.toString("pem")}`;
    const strangerRoot = await root();
    const strangerKeys = await keyPair();
    const stranger = {
      keys: strangerKeys,
      cert: await issue(strangerRoot, w.issuing, strangerKeys.publicKey, [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.cRLSign, true),
      ]),
    };
    const noCrlSignKeys = await keyPair();
    const noCrlSign = {
      keys: noCrlSignKeys,
      cert: await issue(w.forkRoot, w.issuing, noCrlSignKeys.publicKey, [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      ]),
    };
    for (const forger of [stranger, noCrlSign]) {
      const trust = {
        rootPem: w.forkRoot.cert.toString("pem"),
        intermediatesPem: [w.cross, forger.cert].map((c) => c.toString("pem")).join("\n"),
        crls: [await crl(forger, w.issuing, now)],
      };
      const verdict = await verifyLicenseCertificate(chain, trust, now);
      expect(verdict).toMatchObject({ valid: false, code: "CRL_STALE" });
    }
  });
});
