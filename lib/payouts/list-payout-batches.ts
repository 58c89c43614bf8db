import { db } from "@/lib/db/client";

export async function listPayoutBatches(limit = 50) {
  return db().payoutBatch.findMany({
    orderBy: { createdAt: "desc" },
    take: limit,
    include: { approvals: { select: { userId: true } } },
  });
}
