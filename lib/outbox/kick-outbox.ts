import "server-only";
import { runOutboxOnce } from "@/lib/outbox/run-outbox";
import { installedEffects } from "@/lib/outbox/installed-effects";
import { log } from "@/lib/log";
import type { EffectDefinition } from "@/lib/outbox/define-effect";

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

// Effects whose drain is running in this process: a second kick while one runs only asks it to look again.
const draining = new Map<string, { again: boolean }>();

/**
 * Delivers one effect's due jobs now, in rounds of `batch`, until none is
 * due, without waiting for it: after a fan-out that queued many jobs (webhook
 * deliveries), which the periodic runner would take only a batch at a time.
 * One drain per effect per process; drainOutbox waits for it too.
 */
export function kickEffect(effect: EffectDefinition, batch = 200): void {
  const running = draining.get(effect.kind);
  if (running) {
    running.again = true;
    return;
  }
  const state = { again: false };
  draining.set(effect.kind, state);
  const run = (async () => {
    do {
      state.again = false;
      while ((await runOutboxOnce([effect], batch)) > 0) {
        /* keep going until nothing is due */
      }
    } while (state.again);
  })()
    .catch((e) => log.warn({ err: String(e), kind: effect.kind }, "outbox drain failed"))
    .finally(() => {
      draining.delete(effect.kind);
      inFlight.delete(run);
    });
  inFlight.add(run);
}

/** Delivers everything due now, including what a kick already took (and what it kicked in turn), then returns (CLI, tests). */
export async function drainOutbox(): Promise<void> {
  do {
    await Promise.all(inFlight);
    while ((await runOutboxOnce(installedEffects())) > 0) {
      /* keep going until nothing is due */
    }
  } while (inFlight.size > 0);
}
