import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { queueMail } from "@/lib/mail/queue-mail";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { licenseExpiringEmail } from "@/emails/license-expiring";

/** Days before the end at which theater admins are reminded. */
export const REMINDER_DAYS_BEFORE = [30, 7, 1] as const;
const DAY_MS = 86_400_000;

/**
 * Mails the admins of each theater whose license ends within a reminder
 * window. Run periodically (`npm run cli -- licenses remind`, from cron, or
 * the portal's runner); `now` is a parameter so tests control the clock.
 * Each (license, term end, window) is reminded once: a renewal moves the end
 * and so opens new windows; a run that comes late sends only the tightest
 * window that applies, not every window passed.
 */
export async function sendLicenseReminders(now = new Date()) {
  const horizon = new Date(now.getTime() + Math.max(...REMINDER_DAYS_BEFORE) * DAY_MS);
  const due = await db().license.findMany({
    where: { status: "ACTIVE", validUntil: { gt: now, lte: horizon } },
    include: { plan: { select: { name: true } }, reminders: true },
  });
  let sent = 0;
  for (const license of due) {
    const validUntil = license.validUntil;
    if (!validUntil) continue; // the query asked for a date; a license without one expires never
    const remainingDays = (validUntil.getTime() - now.getTime()) / DAY_MS;
    const window = Math.min(...REMINDER_DAYS_BEFORE.filter((d) => remainingDays <= d));
    const done = license.reminders.some(
      (r) => r.validUntil.getTime() === validUntil.getTime() && r.daysBefore <= window,
    );
    if (done) continue;
    sent += await db().$transaction(async (tx) => {
      // The primary key makes a concurrent second runner fail here instead of mailing twice.
      const inserted = await tx.licenseReminder.createMany({
        data: [{ licenseId: license.id, validUntil, daysBefore: window, sentAt: now }],
        skipDuplicates: true,
      });
      if (inserted.count === 0) return 0;
      const theater = await tx.organization.findUniqueOrThrow({
        where: { id: license.theaterOrgId },
        select: { name: true },
      });
      const admins = await tx.membership.findMany({
        where: { orgId: license.theaterOrgId, role: "THEATER_ADMIN" },
        include: { user: { select: { email: true } } },
      });
      const renewUrl = `${env().publicUrl}/licensing`;
      for (const admin of admins) {
        await queueMail(tx, {
          to: admin.user.email,
          template: "license-expiring",
          content: licenseExpiringEmail({
            theaterName: theater.name,
            planName: license.plan.name,
            licenseId: license.id,
            validUntil,
            renewUrl,
          }),
        });
      }
      await appendAuditEvent(tx, {
        actor: { type: "system", id: "license-reminders" },
        action: "license.reminder_sent",
        subject: { type: "license", id: license.id },
        state: { validUntil, daysBefore: window },
        data: { daysBefore: window, recipients: admins.length },
      });
      return 1;
    });
  }
  return { checked: due.length, sent };
}
