import "server-only";
import type { Tx } from "@/lib/db/client";
import type { HostWeight } from "@/lib/splits/compute-split";
import { usagePeriodForSale } from "@/lib/splits/usage-period";

/**
 * The active hosts that share the hosts' part of a sale made at `paidAt`, and
 * their weights. "equal": 1 each. "usage": the units each host reported for
 * the period the sale belongs to (the last month closed before it, see
 * usage-period.ts); never a later period, so a host cannot pull earlier sales
 * towards itself with a report for a month to come. If nobody reported for
 * that period, equal shares (a split must not stall for lack of reports).
 * Ordered by org id so allocation is deterministic.
 */
export async function getHostWeights(tx: Tx, rule: string, paidAt: Date): Promise<HostWeight[]> {
  const hosts = await tx.organization.findMany({
    where: { kind: "HOST", status: "ACTIVE" },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  const equal = hosts.map((h) => ({ orgId: h.id, weight: 1 }));
  if (rule !== "usage" || hosts.length === 0) return equal;
  const reports = await tx.hostUsageReport.findMany({
    where: { period: usagePeriodForSale(paidAt), hostOrgId: { in: hosts.map((h) => h.id) } },
    select: { hostOrgId: true, units: true },
  });
  const units = new Map(reports.map((r) => [r.hostOrgId, r.units]));
  const weights = hosts.map((h) => ({ orgId: h.id, weight: units.get(h.id) ?? 0 }));
  return weights.some((w) => w.weight > 0) ? weights : equal;
}
