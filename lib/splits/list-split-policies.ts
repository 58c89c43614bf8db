import "server-only";
import { db } from "@/lib/db/client";
import { splitPolicyView } from "@/lib/splits/split-policy-view";

export async function listSplitPolicies() {
  const policies = await db().splitPolicy.findMany({
    orderBy: [{ productKind: "asc" }, { currency: "asc" }, { version: "desc" }],
    include: { approvals: { select: { userId: true } } },
    take: 100,
  });
  return policies.map(splitPolicyView);
}
