import "server-only";
import crypto from "node:crypto";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import * as asn1X509 from "@peculiar/asn1-x509";
import { ecdsaWithSHA256 } from "@peculiar/asn1-ecc";
import { env } from "@/lib/config/env";
import { x509 } from "@/lib/licensing/x509";
import type { IssuingCa } from "@/lib/licensing/get-issuing-ca";
import { licensingPaths, licensingUrl } from "@/lib/licensing/license-urls";

/**
 * What every client certificate of one issuing CA has in common, in the ASN.1
 * form of @peculiar/asn1-x509 (the schema library under @peculiar/x509):
 * issuer name, signature algorithm, the extensions that do not depend on the
 * theater, and the CA's key as a node:crypto key object.
 *
 * Why not X509CertificateGenerator.create per certificate: it re-encodes and
 * re-parses each of these parts, signs through WebCrypto's thread pool and
 * parses the finished certificate again, about 2 ms of CPU per certificate,
 * which capped issuance well below the 200 per second the portal must sustain.
 * The structures and their DER encoding still come from the library; nothing
 * here writes ASN.1 by hand.
 */
type ClientCertificateTemplate = {
  issuer: asn1X509.Name;
  signatureAlgorithm: asn1X509.AlgorithmIdentifier;
  fixedExtensions: asn1X509.Extension[];
  signingKey: crypto.KeyObject;
};

const templates = new WeakMap<IssuingCa, ClientCertificateTemplate>();

function asAsn(extension: x509.Extension): asn1X509.Extension {
  return AsnConvert.parse(extension.rawData, asn1X509.Extension);
}

function templateOf(ca: IssuingCa): ClientCertificateTemplate {
  let template = templates.get(ca);
  if (!template) {
    const publicUrl = env().publicUrl;
    template = {
      issuer: AsnConvert.parse(ca.certificate.subjectName.toArrayBuffer(), asn1X509.Name),
      // The CA keys are ECDSA P-256 (see ca-algorithms.ts), so certificates are signed ecdsa-with-SHA256.
      signatureAlgorithm: ecdsaWithSHA256,
      fixedExtensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
        ca.authorityKeyIdentifier,
        new x509.CRLDistributionPointsExtension([licensingUrl(publicUrl, licensingPaths.crl(ca.id))]),
        new x509.AuthorityInfoAccessExtension({
          caIssuers: licensingUrl(publicUrl, licensingPaths.issuerCertificate(ca.id)),
        }),
      ].map(asAsn),
      signingKey: crypto.KeyObject.from(ca.privateKey),
    };
    templates.set(ca, template);
  }
  return template;
}

function extension(extnID: string, value: object): asn1X509.Extension {
  return new asn1X509.Extension({ extnID, critical: false, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

// X.520 attribute types of the subject (RFC 5280 4.1.2.4), in the order they are written.
const SUBJECT_ATTRIBUTES = [
  ["commonName", "2.5.4.3"],
  ["organizationalUnit", "2.5.4.11"],
  ["organization", "2.5.4.10"],
] as const;

export type CertificateSubject = { commonName: string; organizationalUnit: string; organization: string };

/** The subject as an RDN sequence of UTF8Strings, the encoding RFC 5280 asks new certificates to use. */
function subjectName(subject: CertificateSubject): asn1X509.Name {
  return new asn1X509.Name(
    SUBJECT_ATTRIBUTES.map(
      ([field, type]) =>
        new asn1X509.RelativeDistinguishedName([
          new asn1X509.AttributeTypeAndValue({
            type,
            value: new asn1X509.AttributeValue({ utf8String: subject[field] }),
          }),
        ]),
    ),
  );
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export type ClientCertificateFields = {
  serialHex: string;
  subject: CertificateSubject;
  notBefore: Date;
  notAfter: Date;
  /** The certified key, as the DER SubjectPublicKeyInfo of the request. */
  spkiDer: ArrayBuffer;
  /** The SAN URI naming what the certificate certifies. */
  subjectAltNameUri: string;
};

/**
 * Signs an X.509 v3 client certificate with the issuing CA: keyUsage
 * digitalSignature (critical), extendedKeyUsage clientAuth, basicConstraints
 * CA:false (critical), the SAN URI, subject and authority key identifiers,
 * CRL distribution point and authority information access. Returns PEM.
 */
export function signClientCertificate(ca: IssuingCa, fields: ClientCertificateFields): string {
  const template = templateOf(ca);
  const subjectPublicKeyInfo = AsnConvert.parse(fields.spkiDer, asn1X509.SubjectPublicKeyInfo);
  // RFC 5280 4.2.1.2 method (1): the SHA-1 of the subjectPublicKey bits.
  const keyIdentifier = crypto
    .createHash("sha1")
    .update(new Uint8Array(subjectPublicKeyInfo.subjectPublicKey))
    .digest();
  const tbsCertificate = new asn1X509.TBSCertificate({
    version: asn1X509.Version.v3,
    serialNumber: toArrayBuffer(Buffer.from(fields.serialHex, "hex")),
    signature: template.signatureAlgorithm,
    issuer: template.issuer,
    validity: new asn1X509.Validity({ notBefore: fields.notBefore, notAfter: fields.notAfter }),
    subject: subjectName(fields.subject),
    subjectPublicKeyInfo,
    extensions: new asn1X509.Extensions([
      ...template.fixedExtensions,
      extension(
        asn1X509.id_ce_subjectAltName,
        new asn1X509.SubjectAlternativeName([
          new asn1X509.GeneralName({ uniformResourceIdentifier: fields.subjectAltNameUri }),
        ]),
      ),
      extension(asn1X509.id_ce_subjectKeyIdentifier, new asn1X509.SubjectKeyIdentifier(toArrayBuffer(keyIdentifier))),
    ]),
  });
  const tbsDer = AsnConvert.serialize(tbsCertificate);
  // ECDSA signatures in X.509 are DER-encoded, node:crypto's default form.
  const signature = crypto.sign("sha256", new Uint8Array(tbsDer), template.signingKey);
  const certificate = new asn1X509.Certificate({
    tbsCertificate,
    tbsCertificateRaw: tbsDer,
    signatureAlgorithm: template.signatureAlgorithm,
    signatureValue: toArrayBuffer(signature),
  });
  return x509.PemConverter.encode(AsnConvert.serialize(certificate), "CERTIFICATE");
}
