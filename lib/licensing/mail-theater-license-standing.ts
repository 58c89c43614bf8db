import "server-only";
import type { Tx } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { queueMail } from "@/lib/mail/queue-mail";
import { licenseStandingEmail } from "@/emails/license-standing";

/**
 * Tells a theater's admins that its license was suspended, reinstated or
 * revoked, with the reason the org admin or finance user typed: they learn it
 * from us, not from a host refusing their management client.
 */
export async function mailTheaterLicenseStanding(
  tx: Tx,
  license: { id: string; theaterOrgId: string; planId: string },
  change: { to: "SUSPENDED" | "ACTIVE" | "REVOKED"; reason: string },
): Promise<void> {
  // One after another: the queries of an interactive transaction share one connection.
  const theater = await tx.organization.findUnique({ where: { id: license.theaterOrgId }, select: { name: true } });
  const plan = await tx.licensePlan.findUnique({ where: { id: license.planId }, select: { name: true } });
  const admins = await tx.membership.findMany({
    where: { orgId: license.theaterOrgId, role: "THEATER_ADMIN", user: { disabledAt: null } },
    select: { user: { select: { email: true } } },
  });
  const email = licenseStandingEmail({
    theaterName: theater?.name ?? "your theater",
    planName: plan?.name ?? "theater",
    licenseId: license.id,
    to: change.to,
    reason: change.reason,
    licensingUrl: `${env().publicUrl}/licensing`,
  });
  for (const a of admins)
    await queueMail(tx, { to: a.user.email, template: `license-${change.to.toLowerCase()}`, content: email });
}
