import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { ensureMainReleaseLine, MAIN_RELEASE_LINE } from "@/lib/release-lines/ensure-main-release-line";

/**
 * Fundings that count: paid once, or monthly and not ended (a canceling one runs to its paid end; a paused
 * one, Google Play's, renews again when its funder resumes it).
 */
const LIVE = ["active", "past_due", "canceling", "paused", "paid"];

export type CurrencyCoverage = {
  currency: string;
  /** The sum of the hosts' declared monthly costs in this currency. */
  neededMonthlyMinor: bigint;
  /** Monthly fundings that renew (active or retrying a failed payment). */
  fundedMonthlyMinor: bigint;
  /**
   * Everything received for the line and its hosts so far, less the provider's fees and what was refunded or
   * withdrawn in a dispute since (keptNetOf).
   */
  receivedNetMinor: bigint;
  /** How many months of the declared cost what was received pays for; null without a declared cost. */
  monthsCovered: number | null;
};

/**
 * A release line's funding, as its public page shows it: the admitted hosts that run it with their declared
 * monthly cost, who funds it (a funder's name only when they chose to be named; never their account),
 * how each pays (the web, or an app store), and per currency how much is needed, funded monthly and received, and how many months of the hosts'
 * declared cost that covers. Fundings of one of the line's hosts count for the line too.
 */
export async function getReleaseLineFunding(lineName: string) {
  // "main" is there from the start: its page works before the releases page was ever opened.
  if (lineName === MAIN_RELEASE_LINE) await db().$transaction((tx) => ensureMainReleaseLine(tx));
  const line = await db().releaseLine.findUnique({
    where: { name: lineName },
    select: { id: true, name: true, description: true },
  });
  if (!line) throw new AppError("NOT_FOUND", { userMessage: "No such release line.", reason: "UNKNOWN_RELEASE_LINE" });
  const declarations = await db().hostReleaseDeclaration.findMany({ where: { releaseLineId: line.id } });
  const hostOrgs = await db().organization.findMany({
    where: { id: { in: declarations.map((d) => d.hostOrgId) }, kind: "HOST", status: "ACTIVE" },
    select: { id: true, name: true, slug: true },
    orderBy: { name: "asc" },
  });
  const hosts = hostOrgs.map((h) => {
    const d = declarations.find((x) => x.hostOrgId === h.id);
    return { ...h, monthlyCostMinor: d?.monthlyCostMinor ?? null, costCurrency: d?.costCurrency ?? null };
  });
  const fundings = await db().funding.findMany({
    where: {
      status: { in: LIVE },
      OR: [{ releaseLineId: line.id }, { hostOrgId: { in: hosts.map((h) => h.id) } }],
    },
    orderBy: { createdAt: "asc" },
    include: {
      payments: { select: { amountMinor: true, feeMinor: true, refundedMinor: true, disputedMinor: true } },
    },
  });
  const funders = fundings.map((f) => ({
    id: f.id,
    name: f.publicName,
    hostName: f.hostOrgId ? (hosts.find((h) => h.id === f.hostOrgId)?.name ?? null) : null,
    interval: f.interval,
    /** How the funder pays: Stripe or the simulated provider on the web, or an app store's subscription. */
    channel: f.provider,
    amountMinor: f.amountMinor,
    currency: f.currency,
    status: f.status,
    since: f.createdAt,
    paidThrough: f.paidThrough,
  }));
  const currencies = new Set([
    ...hosts.flatMap((h) => (h.costCurrency ? [h.costCurrency] : [])),
    ...fundings.map((f) => f.currency),
  ]);
  const coverage: CurrencyCoverage[] = [...currencies].sort().map((currency) => {
    const needed = hosts
      .filter((h) => h.costCurrency === currency)
      .reduce((s, h) => s + (h.monthlyCostMinor ?? 0n), 0n);
    const inCurrency = fundings.filter((f) => f.currency === currency);
    const fundedMonthly = inCurrency
      .filter((f) => f.interval === "month" && (f.status === "active" || f.status === "past_due"))
      .reduce((s, f) => s + f.amountMinor, 0n);
    const received = inCurrency.flatMap((f) => f.payments).reduce((s, p) => s + keptNetOf(p), 0n);
    return {
      currency,
      neededMonthlyMinor: needed,
      fundedMonthlyMinor: fundedMonthly,
      receivedNetMinor: received,
      monthsCovered: needed > 0n ? Math.floor(Number((received * 10n) / needed)) / 10 : null,
    };
  });
  return { line, hosts, funders, coverage };
}

/**
 * What a funder's payment still brings the line: its amount less the provider's fee, in proportion to what is
 * left of it after refunds and disputed amounts withdrawn, since a refund or dispute takes each share of the
 * split back in that proportion (recordPaymentAdjustment; a store's commission given back on a refund goes to
 * the org's fees, not to the line). Rounded down to the minor unit, so it may be a unit under the ledger's
 * shares, never over. A payment refunded in full brings nothing.
 */
function keptNetOf(p: { amountMinor: bigint; feeMinor: bigint; refundedMinor: bigint; disputedMinor: bigint }) {
  const kept = p.amountMinor - p.refundedMinor - p.disputedMinor;
  if (p.amountMinor <= 0n || kept <= 0n) return 0n;
  return ((p.amountMinor - p.feeMinor) * kept) / p.amountMinor;
}
