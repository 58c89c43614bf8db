import "server-only";
import type { Actor } from "@/lib/access/actor";
import { changeLicenseStanding } from "@/lib/licensing/change-license-standing";

/**
 * Suspends a license (for example after a chargeback): its certificates go on
 * hold in the CRL until reinstateLicense. For finance and org admins; the
 * caller checks the role.
 */
export async function suspendLicense(input: { licenseId: string; reason: string; actor: Actor; now?: Date }) {
  return changeLicenseStanding({
    licenseId: input.licenseId,
    change: { to: "SUSPENDED", reason: input.reason },
    now: input.now,
    actor: input.actor,
  });
}
