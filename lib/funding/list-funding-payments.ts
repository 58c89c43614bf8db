import "server-only";
import { db } from "@/lib/db/client";

/**
 * Funders' payments, newest first, for finance: what each funds (a release line or a host), how much, the
 * provider's fee and what went back. No funder's account or personal data: finance acts on the payment.
 */
export async function listFundingPayments(input: { take?: number } = {}) {
  const payments = await db().fundingPayment.findMany({
    orderBy: [{ paidAt: "desc" }, { id: "desc" }],
    take: input.take ?? 100,
    include: { funding: { select: { interval: true, releaseLineId: true, hostOrgId: true, status: true } } },
  });
  const [lines, hosts] = await Promise.all([
    db().releaseLine.findMany({
      where: { id: { in: payments.flatMap((p) => (p.funding.releaseLineId ? [p.funding.releaseLineId] : [])) } },
      select: { id: true, name: true },
    }),
    db().organization.findMany({
      where: { id: { in: payments.flatMap((p) => (p.funding.hostOrgId ? [p.funding.hostOrgId] : [])) } },
      select: { id: true, name: true },
    }),
  ]);
  return payments.map((p) => ({
    id: p.id,
    fundingId: p.fundingId,
    provider: p.provider,
    amountMinor: p.amountMinor,
    feeMinor: p.feeMinor,
    refundedMinor: p.refundedMinor,
    disputedMinor: p.disputedMinor,
    currency: p.currency,
    paidAt: p.paidAt,
    interval: p.funding.interval,
    target: p.funding.releaseLineId
      ? `release line ${lines.find((l) => l.id === p.funding.releaseLineId)?.name ?? "(gone)"}`
      : `host ${hosts.find((h) => h.id === p.funding.hostOrgId)?.name ?? "(gone)"}`,
  }));
}
