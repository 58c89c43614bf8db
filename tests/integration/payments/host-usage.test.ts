import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createCheckout } from "@/lib/payments/create-checkout";
import { completeSimulatedCheckout } from "@/lib/payments/complete-simulated-checkout";
import { importPaidSales } from "@/lib/payments/import-paid-sales";
import { reportHostUsage } from "@/lib/splits/report-host-usage";
import { usagePeriodOf, usagePeriodShifted } from "@/lib/splits/usage-period";
import { seedActiveSplitPolicy, seedPaymentsWorld, ticketCheckoutInput } from "../../support/payments-factories";

const system = { type: "system" as const };
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
  await completeSimulatedCheckout(checkoutId, "4242424242424242");
  return checkoutId;
}

describe("host usage", () => {
  it("is accepted only for closed, plausible months of a host, within bounds; anything else changes nothing", async () => {
    const w = await usageWorld("CHF");
    const host = w.hostA.org.id;
    const refused = async (period: string, units: number) =>
      reportHostUsage({ hostOrgId: host, period, units }, system).catch((e: { code?: string; reason?: string }) => e);
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
      await reportHostUsage({ hostOrgId: w.hostB.org.id, period: lastMonth, units: 5 }, system).catch((e) => e),
    ).toMatchObject({ reason: "PERIOD_BEFORE_HOST" });
    expect(await db().hostUsageReport.count({ where: { hostOrgId: { in: [host, w.hostB.org.id] } } })).toBe(0);
    expect(await reportHostUsage({ hostOrgId: host, period: lastMonth, units: 40 }, system)).toMatchObject({
      units: 40,
    });
  });

  it("weighs a sale by the usage of the month before it, so a later report never takes another month's sales", async () => {
    const w = await usageWorld("SEK");
    const hosts = [w.hostA.org.id, w.hostB.org.id];
    await reportHostUsage({ hostOrgId: hosts[0], period: lastMonth, units: 300 }, system);
    await reportHostUsage({ hostOrgId: hosts[1], period: lastMonth, units: 100 }, system);
    const first = await sell(w.theater.org.id, "SEK");
    const [a, b] = await hostShares(first, hosts);
    expect(Math.abs(a - 3 * b)).toBeLessThanOrEqual(3);

    // Host B reports an older month enormous: this month's sales are weighed by last month only.
    await reportHostUsage({ hostOrgId: hosts[1], period: usagePeriodShifted(now, -2), units: 1_000_000 }, system);
    const second = await sell(w.theater.org.id, "SEK");
    expect(await hostShares(second, hosts)).toEqual([a, b]);

    // A sale recorded late (an import) that was made three months ago is weighed by its own period:
    // nobody reported four months back, so the hosts share equally.
    const longAgo = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 3, 15));
    const { count } = await db().$transaction((tx) =>
      importPaidSales(
        tx,
        "TICKET_SALE",
        "SEK",
        [
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
        system,
      ),
    );
    expect(count).toBe(1);
    const imported = await db().paymentOrder.findFirstOrThrow({ where: { description: "imported", currency: "SEK" } });
    const [ia, ib] = await hostShares(imported.id, hosts);
    expect(ia).toBe(ib);
  });
});
