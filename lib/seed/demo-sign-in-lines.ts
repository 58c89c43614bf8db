import "server-only";
import { env } from "@/lib/config/env";
import { demoAccounts } from "@/lib/seed/demo-accounts";
import { devMailboxLink } from "@/lib/mail/dev-mailbox-access";

/** How to sign in to the demo organization, printed after seeding (at start and by `cli db seed`). */
export function demoSignInLines(): string[] {
  const e = env();
  return [
    `Guildhall seeded a demo organization. Sign in at ${e.publicUrl}/sign-in with an email code:`,
    `  org admin       ${demoAccounts.admin.email}`,
    ...demoAccounts.members.map((m) => `  member          ${m.email}`),
    `  finance         ${demoAccounts.finance.email}`,
    `  finance         ${demoAccounts.finance2.email}   (a second approver)`,
    `  theater admin   ${demoAccounts.theaterAdmin.email}   (${demoAccounts.theater.name}, /orgs/${demoAccounts.theater.slug})`,
    `  host operator   ${demoAccounts.hostOperator.email}      (${demoAccounts.host.name}, /orgs/${demoAccounts.host.slug})`,
    e.smtpUrl ? "Codes are sent by SMTP." : codesWithoutSmtpLine(),
  ];
}

function codesWithoutSmtpLine(): string {
  const mailbox = devMailboxLink();
  // The link carries the dev mailbox's key: it is for the terminal of whoever started the portal, nowhere else.
  return mailbox
    ? `Codes land in the dev mailbox (keep this link to yourself): ${mailbox}\n  or run: npm run cli -- mail last --to EMAIL`
    : "No SMTP server is configured: read codes with npm run cli -- mail last --to EMAIL";
}
