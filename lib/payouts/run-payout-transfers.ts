import "server-only";
import { runOutboxOnce } from "@/lib/outbox/run-outbox";
import { transferPayoutItemEffect } from "@/lib/payouts/transfer-payout-item";

/** Delivers the due payout transfers now and returns how many jobs ran (CLI, tests); the portal's outbox timer does the same. */
export async function runPayoutTransfers(): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await runOutboxOnce([transferPayoutItemEffect]);
    if (n === 0) return total;
    total += n;
  }
}
