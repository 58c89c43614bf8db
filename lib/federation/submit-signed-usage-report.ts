import "server-only";
import { compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader, type JWK } from "jose";
import { z } from "zod";
import { AppError, type FailureReason } from "@/lib/errors/app-error";
import { findFederationMember } from "@/lib/governance/federation/read-federation-hosts";
import { reportHostUsage } from "@/lib/splits/report-host-usage";
import { trustAnchorId } from "@/lib/federation/federation-constants";

export const USAGE_REPORT_TYPE = "guildhall-usage-report+jws";
const MAX_AGE_SECONDS = 300;

const payloadSchema = z.object({
  iss: z.string().max(500),
  aud: z.string().max(500),
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "a month, YYYY-MM"),
  units: z.number().int().min(0).max(1_000_000_000),
  iat: z.number().int(),
});

function refused(
  code: "UNAUTHENTICATED" | "FORBIDDEN" | "VALIDATION_FAILED",
  reason: FailureReason,
  userMessage: string,
) {
  return new AppError(code, { userMessage, reason });
}

/**
 * A usage report signed by the reporting host (compact JWS, `typ`
 * guildhall-usage-report+jws, payload `{ iss: entity id, aud: the anchor,
 * period, units, iat }`). Checks, in order:
 *  - it is a JWS of that type whose payload has those fields;
 *  - the issuer is an admitted host (else FORBIDDEN, UNKNOWN_HOST);
 *  - it verifies with a key the host's admission declared (else
 *    UNAUTHENTICATED, BAD_SIGNATURE: a host key that is not the admitted one);
 *  - it is meant for this anchor and was signed within five minutes
 *    (STALE_REPORT), and is newer than the month's last signed report
 *    (REPORT_REPLAYED, in reportHostUsage).
 * The report is kept with its signature; nothing is stored on a refusal.
 */
export async function submitSignedUsageReport(jws: string) {
  let header: ReturnType<typeof decodeProtectedHeader>;
  let claims: z.infer<typeof payloadSchema>;
  try {
    header = decodeProtectedHeader(jws);
    claims = payloadSchema.parse(decodeJwt(jws));
  } catch {
    throw refused(
      "VALIDATION_FAILED",
      "BAD_REPORT",
      "Send the report as a compact JWS of period, units, iss, aud and iat.",
    );
  }
  if (header.typ !== USAGE_REPORT_TYPE)
    throw refused("VALIDATION_FAILED", "BAD_REPORT", `The report's typ must be ${USAGE_REPORT_TYPE}.`);
  const member = await findFederationMember(claims.iss);
  if (!member) throw refused("FORBIDDEN", "UNKNOWN_HOST", "The issuer is not an admitted host.");
  try {
    await compactVerify(jws, createLocalJWKSet(member.jwks as { keys: JWK[] }));
  } catch {
    throw refused(
      "UNAUTHENTICATED",
      "BAD_SIGNATURE",
      "The report is not signed with a key the host's admission declared.",
    );
  }
  if (claims.aud !== trustAnchorId())
    throw refused("VALIDATION_FAILED", "WRONG_AUDIENCE", "The report is meant for another trust anchor.");
  if (Math.abs(Date.now() / 1000 - claims.iat) > MAX_AGE_SECONDS)
    throw refused("VALIDATION_FAILED", "STALE_REPORT", "The report was signed more than five minutes from now.");
  return reportHostUsage({
    actor: { type: "client", id: member.entityId },
    hostOrgId: member.hostOrgId,
    period: claims.period,
    units: claims.units,
    now: new Date(),
    signed: { jws, kid: String(header.kid ?? ""), signedAt: new Date(claims.iat * 1000) },
  });
}
