import { db } from "@/lib/db/client";

export async function listSplitPolicies() {
  return db().splitPolicy.findMany({ orderBy: [{ productKind: "asc" }, { currency: "asc" }, { version: "desc" }], include: { approvals: { select: { userId: true } } }, take: 100 });
}
