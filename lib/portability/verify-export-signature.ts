import "server-only";
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from "jose";
import type { z } from "zod";
import { AppError, type FailureReason } from "@/lib/errors/app-error";

export const refuseImport = (what: string, why: string, reason: FailureReason) =>
  new AppError("UNPROCESSABLE", { userMessage: `${what}: ${why}`, reason });

/**
 * Checks the signature of something that leaves Guildhall whole (a theater backup, an org archive): a
 * compact JWS of `typ`, by one of the export keys the importer trusts (given out of band, never taken from
 * the file), over canonical JSON claims whose `digest` must be `expectedDigest`, when given (one changed byte
 * of the signed body shows). Answers the claims and the key id. Refusals are UNPROCESSABLE with
 * `<prefix>_UNKNOWN_KEY`, `<prefix>_SIGNATURE_INVALID` or `<prefix>_TAMPERED`.
 */
export async function verifyExportSignature<T extends z.ZodType<{ digest: string }>>(input: {
  signature: string;
  typ: string;
  trusted: JSONWebKeySet;
  claimsSchema: T;
  /** Left out when the caller compares the claims' digests itself (a theater backup of version 2). */
  expectedDigest?: string;
  reasonPrefix: "BACKUP" | "ARCHIVE";
  signedPart: string;
}): Promise<{ claims: z.infer<T>; kid: string | undefined }> {
  const { reasonPrefix: prefix } = input;
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(input.signature);
  } catch {
    throw refuseImport("signature", "it is not a JWS", `${prefix}_SIGNATURE_INVALID`);
  }
  if (header.typ !== input.typ)
    throw refuseImport("signature", `its typ is not ${input.typ}`, `${prefix}_SIGNATURE_INVALID`);
  if (!input.trusted.keys.some((k) => k.kid === header.kid))
    throw refuseImport(
      "signature",
      `signed by key ${header.kid}, which is not a trusted export key`,
      `${prefix}_UNKNOWN_KEY`,
    );
  let claims: z.infer<T>;
  try {
    const { payload } = await compactVerify(input.signature, createLocalJWKSet(input.trusted), {
      algorithms: ["EdDSA", "ES256"],
    });
    claims = input.claimsSchema.parse(JSON.parse(new TextDecoder().decode(payload)));
  } catch {
    throw refuseImport("signature", "it does not verify with the trusted export key", `${prefix}_SIGNATURE_INVALID`);
  }
  if (input.expectedDigest !== undefined && claims.digest !== input.expectedDigest)
    throw refuseImport(
      input.signedPart,
      "its content differs from what was signed: the file was changed",
      `${prefix}_TAMPERED`,
    );
  return { claims, kid: header.kid };
}
