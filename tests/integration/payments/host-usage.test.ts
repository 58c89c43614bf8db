import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createCheckout } from "@/lib/payments/create-checkout";
import { completeSimulatedCheckout } from "@/lib/payments/complete-simulated-checkout";
import { importPaidSales } from "@/lib/payments/import-paid-sales";
import { reportHostUsage } from "@/lib/splits/report-host-usage";
import { getHostWeights } from "@/lib/splits/get-host-weights";
import { newId } from "@/lib/ids";
import { usagePeriodForSale, usagePeriodOf, usagePeriodShifted } from "@/lib/splits/usage-period";
import { seedActiveSplitPolicy, seedPaymentsWorld, ticketCheckoutInput } from "../../support/payments-factories";

const system = { type: "system" as const, id: "system" };
const now = new Date();
const lastMonth = usagePeriodShifted(now, -1);

/** A world whose hosts joined a year ago, under a policy that gives the hosts everything, by usage. */
async function usageWorld(currency: string) {
  const w = await seedPaymentsWorld({ currency });
  await db().organization.updateMany({
    where: { id: { in: [w.hostA.org.id, w.hostB.org.id] } },
    data: { createdAt: new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), 1)) },
  });
  await db().splitPolicy.updateMany({
    where: { productKind: "TICKET_SALE", currency },
    data: { status: "superseded" },
  });
  await seedActiveSplitPolicy("TICKET_SALE", currency, {
    hostRule: "usage",
    theaterBps: 0,
    developersFundBps: 0,
    hostsBps: 10_000,
    orgBps: 0,
    orgFixedMinor: 0,
  });
  return w;
}

/** What each host got from one sale's entry. */
async function hostShares(orderId: string, hosts: string[]) {
  const order = await db().paymentOrder.findUniqueOrThrow({ where: { id: orderId } });
  const postings = await db().ledgerPosting.findMany({ where: { entryId: String(order.saleEntryId) } });
  return hosts.map(
    (h) => -Number(postings.find((p) => p.accountId.startsWith(`host_payable:${h}:`))?.amountMinor ?? 0),
  );
}

async function sell(theaterOrgId: string, currency: string) {
  const { checkoutId } = await createCheckout(
    ticketCheckoutInput(theaterOrgId, {
      currency,
      lineItems: [{ name: "Seat", quantity: 1, unitAmountMinor: 10_000 }],
    }),
  );
  await completeSimulatedCheckout({ orderId: checkoutId, cardNumber: "4242424242424242" });
  return checkoutId;
}

describe("host usage", () => {
  it("is accepted only for closed, plausible months of a host, within bounds; anything else changes nothing", async () => {
    const w = await usageWorld("CHF");
    const host = w.hostA.org.id;
    const refused = async (period: string, units: number) =>
      reportHostUsage({ actor: system, hostOrgId: host, period, units }).catch(
        (e: { code?: string; reason?: string }) => e,
      );
    expect(await refused("9999-12", 1)).toMatchObject({ code: "UNPROCESSABLE", reason: "PERIOD_NOT_CLOSED" });
    expect(await refused(usagePeriodOf(now), 1)).toMatchObject({ reason: "PERIOD_NOT_CLOSED" });
    expect(await refused(usagePeriodShifted(now, -13), 1)).toMatchObject({ reason: "PERIOD_TOO_OLD" });
    expect(await refused("2026-13", 1)).toMatchObject({ name: "ZodError" });
    expect(await refused(lastMonth, -5)).toMatchObject({ name: "ZodError" });
    expect(await refused(lastMonth, 1.5)).toMatchObject({ name: "ZodError" });
    expect(await refused(lastMonth, 2_000_000_000)).toMatchObject({ name: "ZodError" });
    // A host admitted this month has no usage of last month to report.
    await db().organization.update({ where: { id: w.hostB.org.id }, data: { createdAt: now } });
    expect(
      await reportHostUsage({ actor: system, hostOrgId: w.hostB.org.id, period: lastMonth, units: 5 }).catch((e) => e),
    ).toMatchObject({ reason: "PERIOD_BEFORE_HOST" });
    expect(await db().hostUsageReport.count({ where: { hostOrgId: { in: [host, w.hostB.org.id] } } })).toBe(0);
    expect(await reportHostUsage({ actor: system, hostOrgId: host, period: lastMonth, units: 40 })).toMatchObject({
      units: 40,
    });
  });

  it("weighs a sale by the usage of the month before it, so a later report never takes another month's sales", async () => {
    const w = await usageWorld("SEK");
    const hosts = [w.hostA.org.id, w.hostB.org.id];
    await reportHostUsage({ actor: system, hostOrgId: hosts[0], period: lastMonth, units: 300 });
    await reportHostUsage({ actor: system, hostOrgId: hosts[1], period: lastMonth, units: 100 });
    const first = await sell(w.theater.org.id, "SEK");
    const [a, b] = await hostShares(first, hosts);
    expect(Math.abs(a - 3 * b)).toBeLessThanOrEqual(3);

    // Host B reports an older month enormous: this month's sales are weighed by last month only.
    await reportHostUsage({
      actor: system,
      hostOrgId: hosts[1],
      period: usagePeriodShifted(now, -2),
      units: 1_000_000,
    });
    const second = await sell(w.theater.org.id, "SEK");
    expect(await hostShares(second, hosts)).toEqual([a, b]);

    // A sale recorded late (an import) that was made three months ago is weighed by its own period:
    // nobody reported four months back, so the hosts share equally.
    const longAgo = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 3, 15));
    const { count } = await db().$transaction((tx) =>
      importPaidSales(tx, {
        productKind: "TICKET_SALE",
        currency: "SEK",
        sales: [
          {
            theaterOrgId: w.theater.org.id,
            description: "imported",
            amountMinor: 10_000,
            feeMinor: 0,
            paymentRef: `imp_${crypto.randomUUID()}`,
            paidAt: longAgo,
            fulfilment: { kind: "ticket", showId: "s" },
          },
        ],
        actor: system,
      }),
    );
    expect(count).toBe(1);
    const imported = await db().paymentOrder.findFirstOrThrow({ where: { description: "imported", currency: "SEK" } });
    const [ia, ib] = await hostShares(imported.id, hosts);
    expect(ia).toBe(ib);
  });

  it("for any reports, concurrent or not, a sale's weights are the accepted units of the month before it, or equal", async () => {
    // Only the hosts of the run being checked are active: getHostWeights weighs every active host.
    await db().organization.updateMany({ where: { kind: "HOST" }, data: { status: "SUSPENDED" } });
    const yearAgo = new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), 1));
    const report = fc.record({
      host: fc.nat({ max: 2 }),
      // From 14 months back (too old) to 2 months ahead (not closed): some accepted, some refused.
      offset: fc.integer({ min: -14, max: 2 }),
      units: fc.integer({ min: 0, max: 1_000_000 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(report, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: -11, max: 0 }),
        async (rounds, saleOffset) => {
          const hosts = await Promise.all(
            [0, 1, 2].map(async () => {
              const id = newId("org");
              await db().organization.create({
                data: { id, slug: `usage-${id.slice(-10).toLowerCase()}`, name: id, kind: "HOST", createdAt: yearAgo },
              });
              return id;
            }),
          );
          // The model: what the portal should hold once every accepted report is in (per host and month,
          // the last accepted; within a round, reports race, so any one of the accepted values).
          const held = new Map<string, Set<number>>();
          for (const round of rounds) {
            const outcomes = await Promise.all(
              round.map((r) =>
                reportHostUsage({
                  actor: system,
                  hostOrgId: hosts[r.host],
                  period: usagePeriodShifted(now, r.offset),
                  units: r.units,
                }).then(
                  () => true,
                  () => false,
                ),
              ),
            );
            const closedAndRecent = (o: number) => o <= -1 && o >= -12;
            for (const [i, r] of round.entries()) {
              expect(outcomes[i], `report ${JSON.stringify(r)}`).toBe(closedAndRecent(r.offset));
            }
            const accepted = round.filter((r) => closedAndRecent(r.offset));
            for (const key of new Set(accepted.map((r) => `${r.host}:${r.offset}`)))
              held.set(key, new Set(accepted.filter((r) => `${r.host}:${r.offset}` === key).map((r) => r.units)));
          }
          const paidAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + saleOffset, 15));
          const period = usagePeriodForSale(paidAt);
          const weights = await db().$transaction((tx) => getHostWeights(tx, "usage", paidAt));
          expect(weights.map((w) => w.orgId)).toEqual([...hosts].sort());
          const stored = await db().hostUsageReport.findMany({ where: { hostOrgId: { in: hosts }, period } });
          expect(stored.length, "one report per host and month").toBeLessThanOrEqual(3);
          const unitsOf = (h: string) => stored.find((r) => r.hostOrgId === h)?.units ?? 0;
          for (const [i, h] of hosts.entries()) {
            const possible = held.get(`${i}:${saleOffset - 1}`);
            if (possible) expect(possible.has(unitsOf(h)), `host ${i} holds one of its accepted reports`).toBe(true);
            else expect(unitsOf(h), `host ${i} reported nothing for ${period}`).toBe(0);
          }
          const expected = stored.some((r) => r.units > 0) ? hosts.map(unitsOf) : hosts.map(() => 1);
          expect(weights.map((w) => w.weight)).toEqual([...hosts].sort().map((h) => expected[hosts.indexOf(h)]));
          await db().organization.updateMany({ where: { id: { in: hosts } }, data: { status: "SUSPENDED" } });
        },
      ),
      { numRuns: 15, endOnFailure: true },
    );
  });
});
