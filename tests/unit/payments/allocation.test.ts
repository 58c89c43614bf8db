import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocateLargestRemainder } from "@/lib/splits/allocate-largest-remainder";
import { computeSplit } from "@/lib/splits/compute-split";
import { buildSaleEntry } from "@/lib/payments/build-sale-entry";
import { buildAdjustmentEntry } from "@/lib/payments/build-adjustment-entry";
import { ledgerAccountId } from "@/lib/ledger/accounts";
import { assertBalanced } from "@/lib/ledger/post-journal-entries";
import { defined } from "../../support/defined";

const bpsQuad = fc
  .tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }))
  .map(([a, b, c]) => {
    const [x, y, z] = [a, b, c].sort((p, q) => p - q);
    return [x, y - x, z - y, 10_000 - z] as const;
  });

describe("largest-remainder allocation", () => {
  it("always sums exactly and keeps every part within one unit of its exact quota", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc
          .array(fc.bigInt({ min: 0n, max: 10n ** 6n }), { minLength: 1, maxLength: 12 })
          .filter((w) => w.some((x) => x > 0n)),
        (total, weights) => {
          const parts = allocateLargestRemainder(total, weights);
          expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
          const sum = weights.reduce((a, b) => a + b, 0n);
          parts.forEach((p, i) => {
            const exactTimesSum = total * weights[i];
            const diff = p * sum - exactTimesSum;
            expect(diff < 0n ? -diff : diff).toBeLessThan(sum);
          });
        },
      ),
      // Each run checks every part of its draw exactly; a few hundred draws cover the ranges' edges.
      { numRuns: 400 },
    );
  });

  it("breaks ties toward earlier parts, deterministically", () => {
    expect(allocateLargestRemainder(10n, [1n, 1n, 1n])).toEqual([4n, 3n, 3n]);
    expect(allocateLargestRemainder(-10n, [1n, 1n, 1n])).toEqual([-4n, -3n, -3n]);
    expect(allocateLargestRemainder(1n, [3333n, 3333n, 3334n])).toEqual([0n, 0n, 1n]);
    expect(() => allocateLargestRemainder(5n, [0n, 0n])).toThrow(/sum to zero/);
  });
});

describe("splits", () => {
  it("divide every net exactly among the payees, fixed fees first, hosts by weight", () => {
    fc.assert(
      fc.property(
        bpsQuad,
        fc.integer({ min: 0, max: 1_000 }),
        fc.integer({ min: 0, max: 1_000 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.array(fc.integer({ min: 0, max: 1_000 }), { maxLength: 6 }),
        (
          [theaterBps, developersFundBps, hostsBps, orgBps],
          orgFixedMinor,
          developersFundFixedMinor,
          net,
          hostWeights,
        ) => {
          const hosts = hostWeights.map((weight, i) => ({ orgId: `org_h${i}`, weight }));
          const parts = computeSplit(
            { theaterBps, developersFundBps, hostsBps, orgBps, orgFixedMinor, developersFundFixedMinor },
            "org_t",
            net,
            hosts,
          );
          expect(parts.reduce((s, p) => s + p.amountMinor, 0)).toBe(net);
          expect(parts.every((p) => Number.isSafeInteger(p.amountMinor) && p.amountMinor >= 0)).toBe(true);
          const hostTotal = parts.filter((p) => p.kind === "host_payable").reduce((s, p) => s + p.amountMinor, 0);
          if (hostWeights.some((w) => w > 0))
            for (const p of parts.filter((x) => x.kind === "host_payable")) {
              const w = defined(hosts.find((h) => h.orgId === p.orgId)).weight;
              const sumW = hostWeights.reduce((a, b) => a + b, 0);
              expect(Math.abs(p.amountMinor * sumW - hostTotal * w)).toBeLessThan(sumW);
            }
        },
      ),
      { numRuns: 250 },
    );
  });

  it("make sale entries and proportional refund entries that balance, refunds never exceeding what was credited", () => {
    fc.assert(
      fc.property(
        bpsQuad,
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 1, max: 3 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        ([t, d, h, o], gross, fee, hostCount, fraction) => {
          const hosts = Array.from({ length: hostCount }, (_, i) => ({ orgId: `org_h${i}`, weight: 1 }));
          const terms = {
            theaterBps: t,
            developersFundBps: d,
            hostsBps: h,
            orgBps: o,
            orgFixedMinor: 10,
            developersFundFixedMinor: 0,
          };
          const sale = buildSaleEntry(
            {
              id: "ord_1",
              theaterOrgId: "org_t",
              amountMinor: gross,
              feeMinor: fee,
              currency: "EUR",
              productKind: "TICKET_SALE",
            },
            terms,
            hosts,
          );
          const nonZero = { ...sale, postings: sale.postings.filter((p) => BigInt(p.amountMinor) !== 0n) };
          assertBalanced(nonZero);
          const refund = Math.max(1, Math.floor(gross * fraction));
          const salePostings = nonZero.postings.map((p) => ({
            accountId: ledgerAccountId(p),
            amountMinor: BigInt(p.amountMinor),
          }));
          const adj = buildAdjustmentEntry("refund", "ord_1", refund, salePostings);
          assertBalanced({ ...adj, postings: adj.postings.filter((p) => BigInt(p.amountMinor) !== 0n) });
          // Each payee gives back at most what the sale credited it (the org's part shows as refunds).
          for (const p of adj.postings.filter((x) => x.kind !== "processor_clearing")) {
            const id = ledgerAccountId(p.kind === "refunds" ? { kind: "org_operations", currency: "EUR" } : p);
            const credited = -(salePostings.find((s) => s.accountId === id)?.amountMinor ?? 0n);
            expect(BigInt(p.amountMinor) >= 0n && BigInt(p.amountMinor) <= credited).toBe(true);
          }
        },
      ),
      { numRuns: 250 },
    );
  });
});
