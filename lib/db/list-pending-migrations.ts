import "server-only";
import { db } from "@/lib/db/client";
import { readMigrations } from "@/lib/db/apply-migrations";

// The committed migrations do not change while a process runs: read the folder once.
let committedNames: string[] | undefined;

/**
 * The committed migrations this build carries that the database has not
 * applied yet. A database that is ahead (a newer instance migrated it) has
 * none pending: migrations only add, so an older instance keeps serving.
 */
export async function listPendingMigrations(): Promise<string[]> {
  committedNames ??= readMigrations().map((m) => m.name);
  const [{ exists }] = await db().$queryRaw<
    { exists: boolean }[]
  >`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS exists`;
  if (!exists) return committedNames;
  const applied = await db().$queryRaw<{ name: string }[]>`
    SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  const appliedNames = new Set(applied.map((r) => r.name));
  return committedNames.filter((name) => !appliedNames.has(name));
}
