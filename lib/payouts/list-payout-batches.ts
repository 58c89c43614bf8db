import { db } from "@/lib/db/client";

/** The latest batches, each with its approvals and how many of its transfers failed. */
export async function listPayoutBatches(limit = 50) {
  return db().payoutBatch.findMany({
    orderBy: { createdAt: "desc" },
    take: limit,
    include: {
      approvals: { select: { userId: true } },
      _count: { select: { items: { where: { status: "failed" } } } },
    },
  });
}
