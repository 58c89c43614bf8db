import "server-only";
import { db, engine } from "@/lib/db/client";
import { invalidationFeed } from "@/lib/db/invalidation-feed";
import { log } from "@/lib/log";

/**
 * Whether the database answers, which engine it is, how far it is migrated,
 * and whether this process caches hot reads (only while the invalidation
 * feed is live: on Postgres, once its first heartbeat came back).
 */
export async function checkDatabaseHealth() {
  const started = performance.now();
  try {
    const e = engine();
    const [row] = await db().$queryRaw<{ name: string | null; count: bigint }[]>`
      SELECT max(migration_name) AS name, count(*) AS count FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`;
    return {
      ok: true,
      engine: e.kind === "pglite" ? "embedded (PGlite)" : "postgres",
      latestMigration: row?.name ?? null,
      migrationsApplied: Number(row?.count ?? 0),
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
      cache: invalidationFeed.live ? "on" : "off",
    };
  } catch (e) {
    // The driver's message can name hosts and users: log it, answer plainly.
    log.error({ err: e instanceof Error ? e.message : String(e) }, "database health check failed");
    return { ok: false, error: "database unreachable" };
  }
}
