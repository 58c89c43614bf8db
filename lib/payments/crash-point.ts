import "server-only";
import { env } from "@/lib/config/env";

let chargesSeen = 0;
let refundsSeen = 0;

/**
 * Fault injection for the checkout tests, at the worst moment: the customer's money is taken and the
 * order-paid transaction has not run. GUILDHALL_CRASH_AFTER_CHARGES=N kills the process with SIGKILL after
 * its N-th charge (the multi-process test); GUILDHALL_FAIL_AFTER_CHARGES=N throws there instead, as a lost
 * database connection would (the in-process test). Both are ignored in production.
 */
export function crashPointAfterCharge(): void {
  const crashAt = Number(process.env.GUILDHALL_CRASH_AFTER_CHARGES ?? "0");
  const failAt = Number(process.env.GUILDHALL_FAIL_AFTER_CHARGES ?? "0");
  if ((!crashAt && !failAt) || env().production) return;
  chargesSeen += 1;
  if (crashAt && chargesSeen >= crashAt) process.kill(process.pid, "SIGKILL");
  if (failAt && chargesSeen % failAt === 0) throw new Error("injected fault: connection lost after the charge");
}

/**
 * The same for refunds: the provider refunded and the transaction that records it has not run.
 * GUILDHALL_CRASH_AFTER_REFUNDS=N kills the process with SIGKILL after its N-th refund at the provider.
 */
export function crashPointAfterRefund(): void {
  const crashAt = Number(process.env.GUILDHALL_CRASH_AFTER_REFUNDS ?? "0");
  if (!crashAt || env().production) return;
  refundsSeen += 1;
  if (refundsSeen >= crashAt) process.kill(process.pid, "SIGKILL");
}
