import "server-only";
import type { Tx } from "@/lib/db/client";

export const MAIN_RELEASE_LINE = "main";

/**
 * The first release line, "main", made on first use (every other line is opened by a passed fork proposal).
 * It is not made by a migration: a fork is imported into an empty database, and its archive brings its own.
 * A room of its own below governance and funding, so both find "main" on a fresh database: the releases page,
 * a proposal, and the public funding page, whichever is asked first.
 */
export async function ensureMainReleaseLine(tx: Tx) {
  const existing = await tx.releaseLine.findUnique({ where: { name: MAIN_RELEASE_LINE } });
  if (existing) return existing;
  await tx.$executeRaw`INSERT INTO "ReleaseLine" ("id", "name", "description") VALUES ('rl_main', ${MAIN_RELEASE_LINE}, 'The release line of the original project.') ON CONFLICT DO NOTHING`;
  return tx.releaseLine.findUniqueOrThrow({ where: { name: MAIN_RELEASE_LINE } });
}
