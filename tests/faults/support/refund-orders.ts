/**
 * A finance user's browser tabs, many at once, as their own process on the test's database: sends each refund
 * of the list (a file of `orderId amountMinor requestKey` lines) through refundOrder as FINANCE_USER_ID,
 * `REFUNDERS` at a time. Prints `attempt <key>` before each and `refunded <key> <amount>` or
 * `refused <key> <reason>` after, so the test knows what was tried when the process is killed.
 */
import fs from "node:fs";
import { installComposition } from "@/lib/composition/composition";
import { portalComposition } from "@/lib/composition/portal-composition";
import { refundOrder } from "@/lib/payments/refund-order";
import { userActor } from "@/lib/access/actor";
import { closeDb } from "@/lib/db/close-db";

installComposition(portalComposition);
const refunds = fs
  .readFileSync(process.argv[2], "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => {
    const [orderId, amount, requestKey] = line.split(" ");
    return { orderId, amountMinor: Number(amount), requestKey };
  });
const actor = userActor(String(process.env.FINANCE_USER_ID));
const refunders = Number(process.env.REFUNDERS ?? "1");
let next = 0;

async function refunder() {
  while (next < refunds.length) {
    const r = refunds[next++];
    process.stdout.write(`attempt ${r.requestKey}\n`);
    try {
      const done = await refundOrder({ actor, ...r, reason: "concurrent refunds under faults" });
      process.stdout.write(`refunded ${r.requestKey} ${done.amountMinor}\n`);
    } catch (e) {
      const reason = (e as { reason?: string }).reason ?? (e instanceof Error ? e.message : String(e));
      process.stdout.write(`refused ${r.requestKey} ${reason.replace(/\s+/g, " ").slice(0, 200)}\n`);
    }
  }
}

await Promise.all(Array.from({ length: refunders }, refunder));
await closeDb();
