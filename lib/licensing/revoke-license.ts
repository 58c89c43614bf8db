import "server-only";
import type { AuditActor } from "@/lib/audit/append-audit-event";
import { changeLicenseStanding } from "@/lib/licensing/change-license-standing";
import type { permanentRevocationReasons } from "@/lib/licensing/revocation-reasons";

/** Ends a license for good and revokes its certificates. The caller checks the role. */
export async function revokeLicense(input: {
  licenseId: string;
  reason: string;
  revocationReason?: (typeof permanentRevocationReasons)[number];
  actor: AuditActor;
  now?: Date;
}) {
  return changeLicenseStanding(
    input.licenseId,
    { to: "REVOKED", reason: input.reason, revocationReason: input.revocationReason ?? "cessationOfOperation" },
    input.actor,
    input.now,
  );
}
