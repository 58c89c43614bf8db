import { env } from "@/lib/config/env";
import { prepareDatabase } from "@/lib/db/prepare-database";
import { seedDemoIfEmpty } from "@/lib/seed/seed-demo-if-empty";
import { demoAccounts } from "@/lib/seed/demo-accounts";
import { runOutboxOnce } from "@/lib/outbox/run-outbox";
import { outboxHandlers } from "@/lib/outbox/handlers";
import { log } from "@/lib/log";
import { seedLicensingDemo } from "@/lib/licensing/seed-licensing-demo";
import { sendLicenseReminders } from "@/lib/licensing/send-license-reminders";

const OUTBOX_INTERVAL_MS = 2000;

/**
 * What a portal process does before it serves: validate the environment (a
 * missing production secret stops it here), migrate, seed an empty database,
 * and start delivering the outbox.
 */
export async function startPortal(): Promise<void> {
  const e = env();
  await prepareDatabase();
  if (e.seedDemo && (await seedDemoIfEmpty())) {
    console.log(
      [
        "",
        "Guildhall seeded a demo organization. Sign in at " + e.publicUrl + "/sign-in with an email code:",
        `  admin           ${demoAccounts.admin.email}`,
        ...demoAccounts.members.map((m) => `  member          ${m.email}`),
        `  finance         ${demoAccounts.finance.email}`,
        `  theater admin   ${demoAccounts.theaterAdmin.email}`,
        `  host operator   ${demoAccounts.hostOperator.email}`,
        e.smtpUrl ? "Codes are sent by SMTP." : `Codes land in the dev mailbox: ${e.publicUrl}/dev/mailbox (or npm run cli -- mail last --to EMAIL).`,
        "",
      ].join("\n"),
    );
    const rootKeyPath = await seedLicensingDemo();
    if (rootKeyPath) console.log(`Demo org CA made; its root key is in ${rootKeyPath} (a real operator runs \`ca init\` and keeps it offline).\n`);
  }
  const timer = setInterval(() => {
    runOutboxOnce(outboxHandlers).catch((err) => log.warn({ err: String(err) }, "outbox run failed"));
  }, OUTBOX_INTERVAL_MS);
  timer.unref();
  // License-expiry reminders: hourly is plenty for windows counted in days, and each
  // reminder is recorded once, so several instances running this agree.
  const reminders = setInterval(() => {
    sendLicenseReminders().catch((err) => log.warn({ err: String(err) }, "license reminders failed"));
  }, 3_600_000);
  reminders.unref();
  log.info({ publicUrl: e.publicUrl, embedded: e.embedded }, "portal ready");
}
