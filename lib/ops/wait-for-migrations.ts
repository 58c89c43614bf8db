import "server-only";
import { listPendingMigrations } from "@/lib/db/list-pending-migrations";
import { log } from "@/lib/log";
import { limits } from "@/lib/config/limits";

/**
 * Resolves once the database has every migration this build carries, for an
 * instance started with MIGRATE_AT_START=0 while a separate job migrates
 * (docs/DEPLOY.md, Kubernetes). Meanwhile it serves, and readiness says
 * "migrations pending"; a database that does not answer yet is waited for too.
 */
export async function waitForMigrations(): Promise<void> {
  let told = false;
  for (;;) {
    const pending = await listPendingMigrations().catch(() => undefined);
    if (pending?.length === 0) return;
    if (!told) {
      log.warn({ pending }, "waiting for the database to be migrated (MIGRATE_AT_START=0)");
      told = true;
    }
    await new Promise((resolve) => setTimeout(resolve, limits.timers.pendingMigrationsPollMs));
  }
}
