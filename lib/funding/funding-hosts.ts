import "server-only";
import type { Tx } from "@/lib/db/client";
import type { HostWeight } from "@/lib/splits/compute-split";
import { getHostWeights } from "@/lib/splits/get-host-weights";

/**
 * The admitted hosts a funding's money goes to: the one host funded, or every admitted host that declares it
 * runs the funded release line. Ordered by id, so the split is deterministic.
 */
export async function fundedHostIds(tx: Tx, target: { releaseLineId: string | null; hostOrgId: string | null }) {
  if (target.hostOrgId) {
    const host = await tx.organization.findFirst({
      where: { id: target.hostOrgId, kind: "HOST", status: "ACTIVE" },
      select: { id: true },
    });
    return host ? [host.id] : [];
  }
  const declarations = await tx.hostReleaseDeclaration.findMany({
    where: { releaseLineId: target.releaseLineId ?? "" },
    select: { hostOrgId: true },
  });
  const active = await tx.organization.findMany({
    where: { id: { in: declarations.map((d) => d.hostOrgId) }, kind: "HOST", status: "ACTIVE" },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  return active.map((h) => h.id);
}

/**
 * Those hosts' weights for a payment made at `paidAt`, by the policy's rule: the usage each reported for the
 * period the payment belongs to (getHostWeights, the same as a sale's), or equal shares when none of them
 * reported. No host left (every host stopped running the line): no weights, and computeSplit gives the hosts'
 * part to the org, which runs the service then.
 */
export async function fundingHostWeights(
  tx: Tx,
  target: { releaseLineId: string | null; hostOrgId: string | null },
  rule: string,
  paidAt: Date,
): Promise<HostWeight[]> {
  const ids = await fundedHostIds(tx, target);
  const all = await getHostWeights(tx, rule, paidAt);
  const weights = ids.map((orgId) => ({ orgId, weight: all.find((w) => w.orgId === orgId)?.weight ?? 0 }));
  return weights.some((w) => w.weight > 0) ? weights : ids.map((orgId) => ({ orgId, weight: 1 }));
}
