import "server-only";
import type { Tx } from "@/lib/db/client";
import { minorUnitsAsNumber } from "@/lib/money/money";
import { iso, isoOrNull } from "@/lib/portability/export-values";

/** Every release line or host the person funds or funded (all of them: listOwnFundings shows a page's worth). */
export async function readFundings(tx: Tx, userId: string) {
  const fundings = await tx.funding.findMany({
    where: { funderUserId: userId },
    orderBy: { createdAt: "asc" },
    include: { payments: { select: { amountMinor: true, refundedMinor: true, disputedMinor: true } } },
  });
  // One after another: the queries of an interactive transaction share one connection.
  const lines = await tx.releaseLine.findMany({
    where: { id: { in: fundings.flatMap((f) => (f.releaseLineId ? [f.releaseLineId] : [])) } },
    select: { id: true, name: true },
  });
  const hosts = await tx.organization.findMany({
    where: { id: { in: fundings.flatMap((f) => (f.hostOrgId ? [f.hostOrgId] : [])) } },
    select: { id: true, name: true },
  });
  const nameOf = new Map([...lines, ...hosts].map((x) => [x.id, x.name]));
  const sum = (values: bigint[]) => minorUnitsAsNumber(values.reduce((a, b) => a + b, 0n));
  return fundings.map((f) => {
    const targetId = f.releaseLineId ?? f.hostOrgId ?? "";
    return {
      id: f.id,
      target: {
        kind: f.releaseLineId ? ("release_line" as const) : ("host" as const),
        id: targetId,
        name: nameOf.get(targetId) ?? null,
      },
      interval: f.interval,
      amountMinor: minorUnitsAsNumber(f.amountMinor),
      currency: f.currency,
      provider: f.provider,
      status: f.status,
      namedPublicly: f.publicName !== null,
      publicName: f.publicName,
      paidMinor: sum(f.payments.map((p) => p.amountMinor)),
      refundedMinor: sum(f.payments.map((p) => p.refundedMinor + p.disputedMinor)),
      paidThrough: isoOrNull(f.paidThrough),
      createdAt: iso(f.createdAt),
      canceledAt: isoOrNull(f.canceledAt),
      cancelReason: f.cancelReason,
    };
  });
}
