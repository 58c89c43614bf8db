import { runOutboxOnce } from "@/lib/outbox/run-outbox";
import { installedEffects } from "@/lib/outbox/installed-effects";
import { log } from "@/lib/log";

// Runs started by kickOutbox in this process, so drainOutbox can wait for them.
const inFlight = new Set<Promise<unknown>>();

/**
 * Runs the outbox now, without waiting for it, after a transaction that
 * queued an effect a person is waiting for (a sign-in code). The periodic
 * runner would deliver it anyway; this only makes it quicker.
 */
export function kickOutbox(): void {
  const run = Promise.resolve()
    .then(() => runOutboxOnce(installedEffects()))
    .catch((e) => log.warn({ err: String(e) }, "outbox kick failed"))
    .finally(() => inFlight.delete(run));
  inFlight.add(run);
}

/** Delivers everything due now, including what a kick already took, then returns (CLI, tests). */
export async function drainOutbox(): Promise<void> {
  await Promise.all(inFlight);
  while ((await runOutboxOnce(installedEffects())) > 0) {
    /* keep going until nothing is due */
  }
}
