import type { LicenseStatus } from "@/lib/generated/prisma/client";

/** What a license shows to people: the stored status, with "expired" derived from its end. */
export type LicenseState = "pending_payment" | "active" | "expired" | "suspended" | "revoked";

export function licenseState(
  license: { status: LicenseStatus; validUntil: Date | null },
  now = new Date(),
): LicenseState {
  switch (license.status) {
    case "PENDING_PAYMENT":
      return "pending_payment";
    case "SUSPENDED":
      return "suspended";
    case "REVOKED":
      return "revoked";
    case "ACTIVE":
      return license.validUntil && license.validUntil <= now ? "expired" : "active";
  }
}
