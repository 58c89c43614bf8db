import { spawnSync } from "node:child_process";
import type { AcknowledgedCheckout } from "./load";
import { standaloneDir, testSecrets } from "./standalone-server";

/**
 * What a fault test checks once the load is over, through the domain's own
 * tables and the operator CLI: every checkout a client was told about exists
 * once, every payment acknowledged is paid with one sale entry, each payout
 * item was transferred at most once and the batch finished, and the ledger
 * and the audit chain verify.
 */
export async function verifyNothingLostOrDoubled(opts: {
  clientId: string;
  acknowledged: AcknowledgedCheckout[];
  unacknowledgedKeys: string[];
  batchId?: string;
}) {
  const { db } = await import("@/lib/db/client");
  const problems: string[] = [];
  const orders = await db().paymentOrder.findMany({
    where: { createdByType: "client", createdById: opts.clientId },
    select: { id: true, idempotencyKey: true, status: true },
  });
  const byId = new Map(orders.map((o) => [o.id, o]));
  for (const a of opts.acknowledged) {
    const order = byId.get(a.orderId);
    if (!order) problems.push(`acknowledged checkout ${a.orderId} (${a.key}) is missing`);
    else if (a.paid && order.status !== "paid")
      problems.push(`acknowledged payment of ${a.orderId} is ${order.status}`);
  }
  // Every order the client's requests made is one it was told about (a retry under the same key got the same order back).
  const acknowledgedIds = new Set(opts.acknowledged.map((a) => a.orderId));
  for (const o of orders)
    if (!acknowledgedIds.has(o.id) && !opts.unacknowledgedKeys.includes(o.idempotencyKey ?? ""))
      problems.push(`order ${o.id} (${o.idempotencyKey}) was made but never acknowledged`);
  const entries = await db().journalEntry.groupBy({
    by: ["orderId"],
    where: { orderId: { in: orders.map((o) => o.id) }, kind: "sale" },
    _count: true,
  });
  for (const e of entries) if (e._count > 1) problems.push(`${e._count} sale entries for order ${e.orderId}`);
  const paidWithoutEntry = orders.filter((o) => o.status === "paid" && !entries.some((e) => e.orderId === o.id));
  for (const o of paidWithoutEntry) problems.push(`order ${o.id} is paid without a sale entry`);

  let transfers = 0;
  if (opts.batchId) {
    const items = await db().payoutItem.findMany({ where: { batchId: opts.batchId } });
    const made = await db().simulatedProviderObject.findMany({ where: { kind: "transfer", sourceRef: opts.batchId } });
    transfers = made.length;
    const perDestination = new Map<string, number>();
    for (const t of made) perDestination.set(t.destination ?? "?", (perDestination.get(t.destination ?? "?") ?? 0) + 1);
    for (const [destination, count] of perDestination)
      if (count > 1) problems.push(`payee ${destination} was paid ${count} times in batch ${opts.batchId}`);
    for (const item of items.filter((i) => i.status === "posted")) {
      const transfer = made.find((t) => t.id === item.providerTransferId);
      if (!transfer || BigInt(transfer.amountMinor) !== item.amountMinor)
        problems.push(`posted item ${item.id} does not match its transfer`);
    }
    if (made.length > items.length) problems.push(`${made.length} transfers for ${items.length} items`);
    const unfinished = items.filter((i) => i.status === "pending");
    if (unfinished.length) problems.push(`${unfinished.length} payout items still pending`);
  }
  return { problems, orders: orders.length, transfers };
}

/** Runs the bundled operator CLI (node cli.mjs) from the standalone folder on `databaseUrl`. */
export function runCli(databaseUrl: string, publicUrl: string, args: string[]) {
  return spawnSync(process.execPath, ["cli.mjs", ...args], {
    cwd: standaloneDir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      PUBLIC_URL: publicUrl,
      PAYMENTS_PROVIDER: "simulated",
      LOG_LEVEL: "warn",
      ...testSecrets,
    },
    encoding: "utf8",
    timeout: 120_000,
  });
}
