import { runOutboxOnce } from "@/lib/outbox/run-outbox";
import { outboxHandlers } from "@/lib/outbox/handlers";
import { log } from "@/lib/log";

/**
 * Runs the outbox now, without waiting for it, after a transaction that
 * queued an effect a person is waiting for (a sign-in code). The periodic
 * runner would deliver it anyway; this only makes it quicker.
 */
export function kickOutbox(): void {
  runOutboxOnce(outboxHandlers).catch((e) => log.warn({ err: String(e) }, "outbox kick failed"));
}

/** Delivers everything due now, then returns (CLI, tests). */
export async function drainOutbox(): Promise<void> {
  while ((await runOutboxOnce(outboxHandlers)) > 0) {
    /* keep going until nothing is due */
  }
}
