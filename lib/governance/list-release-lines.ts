import "server-only";
import { db, type Tx } from "@/lib/db/client";

export const MAIN_RELEASE_LINE = "main";

/**
 * The release lines with their approved releases. The first line, "main", is
 * made on first use; every other line is opened by a passed fork proposal.
 */
export async function ensureMainReleaseLine(tx: Tx) {
  const existing = await tx.releaseLine.findUnique({ where: { name: MAIN_RELEASE_LINE } });
  if (existing) return existing;
  await tx.$executeRaw`INSERT INTO "ReleaseLine" ("id", "name", "description") VALUES ('rl_main', ${MAIN_RELEASE_LINE}, 'The release line of the original project.') ON CONFLICT DO NOTHING`;
  return tx.releaseLine.findUniqueOrThrow({ where: { name: MAIN_RELEASE_LINE } });
}

export async function listReleaseLines() {
  await db().$transaction((tx) => ensureMainReleaseLine(tx));
  return db().releaseLine.findMany({
    orderBy: { createdAt: "asc" },
    include: { releases: { orderBy: { approvedAt: "desc" } } },
  });
}
