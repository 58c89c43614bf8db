import "server-only";
import type { AuditActor } from "@/lib/audit/append-audit-event";
import { changeLicenseStanding } from "@/lib/licensing/change-license-standing";

/**
 * Suspends a license (for example after a chargeback): its certificates go on
 * hold in the CRL until reinstateLicense. For finance and org admins; the
 * caller checks the role.
 */
export async function suspendLicense(input: { licenseId: string; reason: string; actor: AuditActor; now?: Date }) {
  return changeLicenseStanding(input.licenseId, { to: "SUSPENDED", reason: input.reason }, input.actor, input.now);
}
