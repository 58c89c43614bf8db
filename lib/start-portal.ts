import { env } from "@/lib/config/env";
import { prepareDatabase } from "@/lib/db/prepare-database";
import { seedDemoIfEmpty } from "@/lib/seed/seed-demo-if-empty";
import { demoSignInLines } from "@/lib/seed/demo-sign-in-lines";
import { runOutboxOnce } from "@/lib/outbox/run-outbox";
import { installComposition, type Composition } from "@/lib/composition/composition";
import { log } from "@/lib/log";
import { seedLicensingDemo } from "@/lib/licensing/seed-licensing-demo";
import { sendLicenseReminders } from "@/lib/licensing/send-license-reminders";
import { runGovernanceSweep } from "@/lib/governance/run-governance-sweep";
import { purgeExpiredOidcRecords } from "@/lib/oidc/purge-expired";
import { startInvalidationFeed } from "@/lib/db/invalidation-feed";
import { limits } from "@/lib/config/limits";

/**
 * What a portal process does before it serves: validate the environment (a
 * missing production secret stops it here), install the composition (the
 * effects, fulfillers, session-end hooks and claim sources of
 * lib/composition/portal-composition.ts), migrate, seed an empty database,
 * and start delivering the outbox.
 */
export async function startPortal(composition: Composition): Promise<void> {
  const e = env();
  installComposition(composition);
  await prepareDatabase();
  if (e.seedDemo && (await seedDemoIfEmpty())) {
    console.log(["", ...demoSignInLines(), ""].join("\n"));
    const rootKeyPath = await seedLicensingDemo();
    if (rootKeyPath)
      console.log(
        `Demo org CA made; its root key is in ${rootKeyPath} (a real operator runs \`ca init\` and keeps it offline).\n`,
      );
  }
  const timer = setInterval(() => {
    runOutboxOnce(composition.effects).catch((err) => log.warn({ err: String(err) }, "outbox run failed"));
  }, limits.outbox.intervalMs);
  timer.unref();
  // License-expiry reminders: hourly is plenty for windows counted in days, and each
  // reminder is recorded once, so several instances running this agree.
  const reminders = setInterval(() => {
    sendLicenseReminders().catch((err) => log.warn({ err: String(err) }, "license reminders failed"));
  }, limits.timers.licenseRemindersMs);
  reminders.unref();
  // Governance: 24-hour reminders and closing votes whose window has passed.
  const governanceTimer = setInterval(() => {
    runGovernanceSweep().catch((err) => log.warn({ err: String(err) }, "governance sweep failed"));
  }, limits.timers.governanceSweepMs);
  governanceTimer.unref();
  // Expired OIDC codes, tokens and interactions: deleting them is idempotent, so every instance may run it.
  const oidcPurge = setInterval(() => {
    purgeExpiredOidcRecords().catch((err) => log.warn({ err: String(err) }, "oidc purge failed"));
  }, limits.timers.oidcPurgeMs);
  oidcPurge.unref();
  // Lets the hottest OIDC reads be cached, dropped by the database's change notifications (Postgres only).
  startInvalidationFeed();
  log.info({ publicUrl: e.publicUrl, embedded: e.embedded }, "portal ready");
}
