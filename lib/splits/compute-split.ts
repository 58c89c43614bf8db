import "server-only";
import { allocate } from "@/lib/splits/allocate-largest-remainder";
import type { LedgerAccountKind } from "@/lib/ledger/accounts";
import { minorUnitsAsNumber } from "@/lib/money/money";

export type SplitPolicyTerms = {
  theaterBps: number;
  developersFundBps: number;
  hostsBps: number;
  orgBps: number;
  orgFixedMinor: bigint | number;
  developersFundFixedMinor: bigint | number;
};

export type HostWeight = { orgId: string; weight: number };

export type SplitPart = { kind: LedgerAccountKind; orgId: string | null; amountMinor: number };

/**
 * The split of one payment's net (gross minus the provider's fee):
 * 1. the fixed fees come off first, the org's then the developers' fund's,
 *    each capped at what is left so a tiny payment never goes negative;
 * 2. the rest is divided by basis points among theater, developers' fund,
 *    hosts and org by largest remainder;
 * 3. the hosts' part is divided among the hosts by their weights (1 each for
 *    "equal", reported usage for "usage"), again by largest remainder; with no
 *    active host it goes to the org, which runs the service then.
 * The parts always sum to the net exactly. Zero parts are kept; posting drops them.
 */
export function computeSplit(
  terms: SplitPolicyTerms,
  theaterOrgId: string | null,
  netMinor: number,
  hosts: HostWeight[],
): SplitPart[] {
  if (!Number.isSafeInteger(netMinor) || netMinor < 0) throw new Error(`computeSplit: bad net ${netMinor}`);
  const orgFixed = Math.min(minorUnitsAsNumber(terms.orgFixedMinor), netMinor);
  const devFixed = Math.min(minorUnitsAsNumber(terms.developersFundFixedMinor), netMinor - orgFixed);
  const rest = netMinor - orgFixed - devFixed;
  const [theater, devs, hostsTotal, org] = allocate(rest, [
    terms.theaterBps,
    terms.developersFundBps,
    terms.hostsBps,
    terms.orgBps,
  ]);
  // Money with no theater (funding) is split by a policy that gives theaters nothing (split-policy-schema.ts).
  if (theaterOrgId === null && theater !== 0) throw new Error("computeSplit: a theater's part with no theater");
  const parts: SplitPart[] = [
    ...(theaterOrgId === null ? [] : [{ kind: "theater_payable" as const, orgId: theaterOrgId, amountMinor: theater }]),
    { kind: "developers_fund", orgId: null, amountMinor: devs + devFixed },
  ];
  const weighted = hosts.filter((h) => h.weight > 0);
  if (weighted.length === 0 || hostsTotal === 0) {
    parts.push({ kind: "org_operations", orgId: null, amountMinor: org + orgFixed + hostsTotal });
    return parts;
  }
  const hostParts = allocate(
    hostsTotal,
    weighted.map((h) => h.weight),
  );
  weighted.forEach((h, i) => {
    parts.push({ kind: "host_payable", orgId: h.orgId, amountMinor: hostParts[i] });
  });
  parts.push({ kind: "org_operations", orgId: null, amountMinor: org + orgFixed });
  return parts;
}
