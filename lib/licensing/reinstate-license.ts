import "server-only";
import type { AuditActor } from "@/lib/audit/append-audit-event";
import { changeLicenseStanding } from "@/lib/licensing/change-license-standing";

/** Lifts a suspension: the certificates leave the CRL again. The caller checks the role. */
export async function reinstateLicense(input: { licenseId: string; reason: string; actor: AuditActor; now?: Date }) {
  return changeLicenseStanding(input.licenseId, { to: "ACTIVE", reason: input.reason }, input.actor, input.now);
}
