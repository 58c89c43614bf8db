import "server-only";
import { listPendingMigrations } from "@/lib/db/list-pending-migrations";
import { processState } from "@/lib/ops/process-state";

export type Readiness =
  | { ready: true }
  | {
      ready: false;
      reason: "shutting down" | "database unreachable" | "migrations pending";
      pendingMigrations?: string[];
    };

/**
 * Whether this instance should get requests: not while it shuts down, not
 * while the database does not answer, and not while the database lacks a
 * migration this build needs (a rollout whose migration job has not run yet).
 */
export async function checkReadiness(): Promise<Readiness> {
  if (processState.draining) return { ready: false, reason: "shutting down" };
  // One read answers both questions: it fails when the database does not answer.
  const pending = await listPendingMigrations().catch(() => undefined);
  if (pending === undefined) return { ready: false, reason: "database unreachable" };
  if (pending.length) return { ready: false, reason: "migrations pending", pendingMigrations: pending };
  return { ready: true };
}
