import "server-only";
import { engine } from "@/lib/db/client";

/**
 * One statement on the process's own connections, past Prisma: for statements with large parameters (an org
 * import's batches of records), of which Prisma's client (7.10) keeps each one reachable for the life of the
 * process, a gigabyte for a large archive. Autocommitted: never part of a Prisma transaction.
 */
export async function rawStatement(sql: string, values: unknown[]): Promise<void> {
  const e = engine();
  if (e.kind === "postgres") await e.pool.query(sql, values);
  else await e.pglite.query(sql, values);
}
