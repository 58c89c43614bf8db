import "server-only";
import { env } from "@/lib/config/env";
import { prepareDatabase } from "@/lib/db/prepare-database";
import { seedDemoIfEmpty } from "@/lib/seed/seed-demo-if-empty";
import { demoSignInLines } from "@/lib/seed/demo-sign-in-lines";
import { demoAccountsExist } from "@/lib/seed/demo-accounts-present";
import { devMailboxLink } from "@/lib/mail/dev-mailbox-access";
import { runOutboxOnce } from "@/lib/outbox/run-outbox";
import { installComposition, type Composition } from "@/lib/composition/composition";
import { log } from "@/lib/log";
import { recordPortalOrigin } from "@/lib/config/recorded-portal-origin";
import { seedLicensingDemo } from "@/lib/licensing/seed-licensing-demo";
import { seedDemoActivity } from "@/lib/demo/seed-demo-activity";
import { seedDemoClosedVote } from "@/lib/demo/seed-demo-closed-vote";
import { recordCurrentRelyingParty } from "@/lib/governance/relying-party-history";
import { sendLicenseReminders } from "@/lib/licensing/send-license-reminders";
import { runGovernanceSweep } from "@/lib/governance/run-governance-sweep";
import { purgeExpiredOidcRecords } from "@/lib/oidc/purge-expired";
import { startInvalidationFeed } from "@/lib/db/invalidation-feed";
import { scheduleBackgroundTask, stopBackgroundTasks } from "@/lib/ops/background-tasks";
import { waitForMigrations } from "@/lib/ops/wait-for-migrations";
import { limits } from "@/lib/config/limits";
import { appStoresConfig } from "@/lib/config/app-stores";
import { sweepAppleStore } from "@/lib/app-stores/sweep-apple-store";
import { sweepGooglePlay } from "@/lib/app-stores/sweep-google-play";
import { type Integration, integrateLog } from "@/lib/transparency/integrate-log";
import { reconcileOpenOrders } from "@/lib/payments/reconcile-open-orders";
import { resumeStalledRefunds } from "@/lib/payments/resume-stalled-refunds";
import { alertReconciliationDifferences } from "@/lib/payouts/alert-reconciliation-differences";
import { renewSimulatedFundings } from "@/lib/payments/renew-simulated-fundings";
import { sendCheckpointToWitnesses } from "@/lib/transparency/witnesses/send-checkpoint-to-witnesses";

/** Stops what startPortal started, waiting at most `timeoutMs` for running work. */
export type StopPortal = (timeoutMs: number) => Promise<void>;

/**
 * What a portal process does before it serves: validate the environment (a
 * missing production secret stops it here), install the composition (the
 * effects, fulfillers, session-end hooks and claim sources of
 * lib/composition/portal-composition.ts), migrate (or, with
 * MIGRATE_AT_START=0, wait for the migration job while serving not-ready),
 * seed an empty database, and start the background work.
 */
export async function startPortal(composition: Composition): Promise<StopPortal> {
  const e = env();
  installComposition(composition);
  // The operator CLI on this data directory then signs and verifies under this portal's names (its PORT included).
  try {
    recordPortalOrigin(e);
  } catch (err) {
    log.warn({ err: String(err) }, "the public URL was not recorded in DATA_DIR; give the CLI PUBLIC_URL");
  }
  if (e.migrateAtStart) {
    await prepareDatabase();
    await startBackgroundWork(composition);
  } else {
    waitForMigrations()
      .then(() => startBackgroundWork(composition))
      .catch((err) => log.error({ err: String(err) }, "background work did not start"));
  }
  // Lets the hottest OIDC reads be cached, dropped by the database's change notifications (Postgres only).
  const stopFeed = startInvalidationFeed();
  log.info({ publicUrl: e.publicUrl, embedded: e.embedded }, "portal ready");
  return async (timeoutMs) => {
    await stopBackgroundTasks(timeoutMs);
    await stopFeed();
  };
}

async function startBackgroundWork(composition: Composition): Promise<void> {
  // The relying party ballots are signed for from now on: a new public URL (another port, another domain) starts
  // a new period, and ballots signed under an earlier one keep verifying for theirs (docs/GOVERNANCE.md).
  await recordCurrentRelyingParty();
  const seeded = env().seedDemo && (await seedDemoIfEmpty());
  const mailbox = devMailboxLink();
  // The demo accounts (with the dev mailbox's link, which opens only with its key) are printed at every start of a
  // demo portal, not only the first: whoever starts it again has to know how to sign in again.
  const demo = seeded || (await demoAccountsExist());
  if (demo) console.log(["", ...demoSignInLines(), ""].join("\n"));
  else if (mailbox) console.log(`\nSign-in codes land in the dev mailbox (keep this link to yourself): ${mailbox}\n`);
  if (seeded) {
    const rootKeyPath = await seedLicensingDemo();
    // A closed vote with a tally anyone can verify, its ballots signed by software passkeys whose private keys the
    // seed then discards. On every demo portal (the end-to-end tests' too): it needs no payment provider.
    await seedDemoClosedVote().catch((err: unknown) => log.warn({ err: String(err) }, "demo closed vote not seeded"));
    // Orders, a refund, a host client and an open vote to look at; a failure here leaves the demo emptier, not broken.
    if (env().embedded && !env().stripeSecretKey)
      await seedDemoActivity().catch((err: unknown) => log.warn({ err: String(err) }, "demo activity not seeded"));
    if (rootKeyPath)
      console.log(
        `Demo org CA made; its root key is in ${rootKeyPath} (a real operator runs \`ca init\` and keeps it offline).\n`,
      );
  }
  // Every instance delivers the outbox: jobs are leased with SKIP LOCKED, so they share the work.
  scheduleBackgroundTask({
    name: "outbox",
    intervalMs: limits.outbox.intervalMs,
    exclusive: false,
    run: () => runOutboxOnce(composition.effects),
  });
  // The sweeps run on one instance at a time (each round, whichever takes the lock first); each is
  // idempotent as well, so a round repeated after a lost connection records nothing twice.
  // License-expiry reminders: hourly is plenty for windows counted in days.
  scheduleBackgroundTask({
    name: "license-reminders",
    intervalMs: limits.timers.licenseRemindersMs,
    exclusive: true,
    run: sendLicenseReminders,
  });
  // Governance: 24-hour reminders and closing votes whose window has passed.
  scheduleBackgroundTask({
    name: "governance-sweep",
    intervalMs: limits.timers.governanceSweepMs,
    exclusive: true,
    run: runGovernanceSweep,
  });
  // Payments: an order whose charge went through but whose order-paid transaction never committed (a crash,
  // a lost connection, a lost webhook) is found at the provider and marked paid; ended sessions end their order.
  // A refund left reserved the same way is sent again under its own key and recorded.
  scheduleBackgroundTask({
    name: "order-reconcile",
    intervalMs: limits.timers.orderReconcileMs,
    exclusive: true,
    run: async () => {
      await reconcileOpenOrders();
      await resumeStalledRefunds();
    },
  });
  // The provider's balance against the ledger: the ledger can balance while the provider moved money it does
  // not know of; each difference is a finance alert, raised once.
  scheduleBackgroundTask({
    name: "balance-reconcile",
    intervalMs: limits.timers.balanceReconcileMs,
    exclusive: true,
    run: async () => {
      await alertReconciliationDifferences();
    },
  });
  // The simulated provider's monthly fundings renew (or end) at their period's end, as Stripe bills them.
  if (!env().stripeSecretKey)
    scheduleBackgroundTask({
      name: "simulated-renewals",
      intervalMs: limits.timers.simulatedRenewalMs,
      exclusive: true,
      run: () => renewSimulatedFundings(),
    });
  // The transparency log: new audit events become entries, tiles and a signed checkpoint (docs/LOG.md).
  scheduleBackgroundTask({
    name: "log-integration",
    intervalMs: limits.timers.logIntegrationMs,
    exclusive: true,
    run: () => integrateLog(),
    // A round is bounded (limits.log.integrationBatch) so it signs within the cadence; when it was full, the
    // next starts at once.
    behind: (integration) => (integration as Integration).behind,
  });
  // The admitted hosts' witnesses cosign the newest checkpoint (docs/LOG.md "Witnesses"); no transaction is held
  // while they answer, and a task apart so a slow witness never delays integration.
  scheduleBackgroundTask({
    name: "log-witnessing",
    intervalMs: limits.timers.logWitnessingMs,
    exclusive: true,
    run: () => sendCheckpointToWitnesses(),
  });
  // Expired OIDC codes, tokens and interactions.
  scheduleBackgroundTask({
    name: "oidc-purge",
    intervalMs: limits.timers.oidcPurgeMs,
    exclusive: true,
    run: purgeExpiredOidcRecords,
  });
  // App Store notifications that never arrived, and subscriptions past their end: needs the Server API key.
  if (appStoresConfig().apple?.api)
    scheduleBackgroundTask({
      name: "apple-sweep",
      intervalMs: limits.timers.appleSweepMs,
      exclusive: true,
      run: async () => {
        await sweepAppleStore({ hours: limits.timers.appleSweepHours });
      },
    });
  // Google Play refunds whose notification never arrived, and subscriptions past their end.
  if (appStoresConfig().google)
    scheduleBackgroundTask({
      name: "google-play-sweep",
      intervalMs: limits.timers.googleSweepMs,
      exclusive: true,
      run: async () => {
        await sweepGooglePlay({ days: limits.timers.googleSweepDays });
      },
    });
}
