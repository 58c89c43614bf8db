import "server-only";
import { CompactSign } from "jose";
import type { ActiveSigningKey } from "@/lib/keys/get-active-signing-key";
import { LICENSE_DOCUMENT_TYP, type LicenseDocumentClaims } from "@/lib/licensing/license-document";

const encoder = new TextEncoder();

/**
 * Signs a license document as a compact JWS with the "license" key (EdDSA,
 * Ed25519). The caller fetches the key with getActiveSigningKey("license")
 * before opening its transaction, so no second connection is needed inside it.
 */
export async function signLicenseDocument(claims: LicenseDocumentClaims, key: ActiveSigningKey): Promise<string> {
  return new CompactSign(encoder.encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: LICENSE_DOCUMENT_TYP })
    .sign(key.privateKey);
}
