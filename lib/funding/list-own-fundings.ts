import "server-only";
import { db } from "@/lib/db/client";

/** A funder's own fundings, newest first, with what each line or host is and what was paid. */
export async function listOwnFundings(userId: string) {
  const rows = await db().funding.findMany({
    where: { funderUserId: userId },
    orderBy: { createdAt: "desc" },
    take: 100,
    include: { payments: { select: { amountMinor: true, paidAt: true }, orderBy: { paidAt: "desc" } } },
  });
  const lines = await db().releaseLine.findMany({
    where: { id: { in: rows.flatMap((r) => (r.releaseLineId ? [r.releaseLineId] : [])) } },
    select: { id: true, name: true },
  });
  const hosts = await db().organization.findMany({
    where: { id: { in: rows.flatMap((r) => (r.hostOrgId ? [r.hostOrgId] : [])) } },
    select: { id: true, name: true },
  });
  return rows.map((r) => ({
    id: r.id,
    target: r.releaseLineId
      ? { kind: "release_line" as const, name: lines.find((l) => l.id === r.releaseLineId)?.name ?? r.releaseLineId }
      : { kind: "host" as const, name: hosts.find((h) => h.id === r.hostOrgId)?.name ?? "" },
    interval: r.interval,
    channel: r.provider,
    amountMinor: r.amountMinor,
    currency: r.currency,
    status: r.status,
    publicName: r.publicName,
    paidThrough: r.paidThrough,
    cancelReason: r.cancelReason,
    createdAt: r.createdAt,
    paidMinor: r.payments.reduce((s, p) => s + p.amountMinor, 0n),
    lastPaidAt: r.payments[0]?.paidAt ?? null,
  }));
}
