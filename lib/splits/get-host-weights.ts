import type { Tx } from "@/lib/db/client";
import type { HostWeight } from "@/lib/splits/compute-split";

/**
 * The active hosts that share the hosts' part and their weights. "equal": 1
 * each. "usage": the units each host reported for the latest period anyone
 * reported; if nobody reported, equal shares (a split must not stall for lack
 * of reports). Ordered by org id so allocation is deterministic.
 */
export async function getHostWeights(tx: Tx, rule: string): Promise<HostWeight[]> {
  const hosts = await tx.organization.findMany({
    where: { kind: "HOST", status: "ACTIVE" },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  if (rule !== "usage" || hosts.length === 0) return hosts.map((h) => ({ orgId: h.id, weight: 1 }));
  const latest = await tx.hostUsageReport.findFirst({
    where: { hostOrgId: { in: hosts.map((h) => h.id) } },
    orderBy: { period: "desc" },
    select: { period: true },
  });
  if (!latest) return hosts.map((h) => ({ orgId: h.id, weight: 1 }));
  const reports = await tx.hostUsageReport.findMany({ where: { period: latest.period } });
  const units = new Map(reports.map((r) => [r.hostOrgId, r.units]));
  const weights = hosts.map((h) => ({ orgId: h.id, weight: units.get(h.id) ?? 0 }));
  return weights.some((w) => w.weight > 0) ? weights : hosts.map((h) => ({ orgId: h.id, weight: 1 }));
}
