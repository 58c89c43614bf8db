import "server-only";
import { db } from "@/lib/db/client";
import { ensureMainReleaseLine } from "@/lib/release-lines/ensure-main-release-line";

/** The release lines with their approved releases ("main" made on first use). */
export async function listReleaseLines() {
  await db().$transaction((tx) => ensureMainReleaseLine(tx));
  return db().releaseLine.findMany({
    orderBy: { createdAt: "asc" },
    include: { releases: { orderBy: { approvedAt: "desc" } } },
  });
}
