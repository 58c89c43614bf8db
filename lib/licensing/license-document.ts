import { z } from "zod";

/** The header type of a license document, so it can never be taken for an ID token. */
export const LICENSE_DOCUMENT_TYP = "guildhall-license+jwt";

const isoDate = z.iso.datetime({ offset: true });

/**
 * What a license document asserts. Times are both in JWT form (nbf/exp,
 * seconds) for generic tools and ISO in `license` for people.
 */
export const licenseDocumentClaimsSchema = z.object({
  iss: z.string().min(1),
  sub: z.string().startsWith("lic_"),
  jti: z.string().min(1),
  iat: z.number().int(),
  nbf: z.number().int(),
  exp: z.number().int(),
  license: z.object({
    id: z.string().startsWith("lic_"),
    theater: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    plan: z.object({ id: z.string(), name: z.string() }),
    entitlements: z.record(z.string(), z.number().int().nonnegative()),
    validFrom: isoDate,
    validUntil: isoDate,
  }),
  /** The certified key: SHA-256 of its SubjectPublicKeyInfo (base64url) and the certificate's serial. */
  key: z.object({
    sha256: z.string().min(43),
    algorithm: z.string(),
    certificateSerial: z.string().regex(/^[0-9a-f]+$/),
  }),
});

export type LicenseDocumentClaims = z.infer<typeof licenseDocumentClaimsSchema>;
