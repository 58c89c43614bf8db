import "server-only";
import type { Actor } from "@/lib/access/actor";
import { changeLicenseStanding } from "@/lib/licensing/change-license-standing";

/** Lifts a suspension: the certificates leave the CRL again. The caller checks the role. */
export async function reinstateLicense(input: { licenseId: string; reason: string; actor: Actor; now?: Date }) {
  return changeLicenseStanding({
    licenseId: input.licenseId,
    change: { to: "ACTIVE", reason: input.reason },
    now: input.now,
    actor: input.actor,
  });
}
