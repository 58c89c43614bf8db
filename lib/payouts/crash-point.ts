import "server-only";
import { env } from "@/lib/config/env";

let transfersSeen = 0;

/**
 * A fault injection for the crash test: with GUILDHALL_CRASH_AFTER_TRANSFERS=N
 * (ignored in production), the process kills itself with SIGKILL right after
 * the N-th transfer the provider accepted and before that transfer is
 * recorded, the worst moment for a crash. The rerun must not pay twice.
 */
export function crashPointAfterTransfer(): void {
  const n = Number(process.env.GUILDHALL_CRASH_AFTER_TRANSFERS ?? "0");
  if (!n || env().production) return;
  transfersSeen += 1;
  if (transfersSeen >= n) process.kill(process.pid, "SIGKILL");
}
