import "server-only";
import type { Actor } from "@/lib/access/actor";
import { changeLicenseStanding } from "@/lib/licensing/change-license-standing";
import type { permanentRevocationReasons } from "@/lib/licensing/revocation-reasons";

/** Ends a license for good and revokes its certificates. The caller checks the role. */
export async function revokeLicense(input: {
  licenseId: string;
  reason: string;
  revocationReason?: (typeof permanentRevocationReasons)[number];
  actor: Actor;
  now?: Date;
}) {
  return changeLicenseStanding({
    licenseId: input.licenseId,
    change: { to: "REVOKED", reason: input.reason, revocationReason: input.revocationReason ?? "cessationOfOperation" },
    now: input.now,
    actor: input.actor,
  });
}
