import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { listRecentOrders } from "@/lib/payments/list-recent-orders";
import { salesByDay } from "@/lib/payments/sales-by-day";
import { listPayoutBatches } from "@/lib/payouts/list-payout-batches";
import { seedOrg } from "@/tests/support/factories";

async function order(theaterOrgId: string, over: { status?: string; description: string; createdAt: Date }) {
  return db().paymentOrder.create({
    data: {
      id: newId("ord"),
      productKind: "TICKET_SALE",
      theaterOrgId,
      description: over.description,
      lineItems: [{ name: "Seat", quantity: 1, unitAmountMinor: 2500 }],
      amountMinor: 2500n, // €25.00
      currency: "EUR",
      fulfilmentKind: "ticket",
      fulfilment: { kind: "ticket", showId: "show-1" },
      status: over.status ?? "paid",
      provider: "simulated",
      successPath: "/pay/done",
      cancelPath: "/pay/cancelled",
      createdByType: "system",
      createdAt: over.createdAt,
      paidAt: (over.status ?? "paid") === "paid" ? over.createdAt : null,
    },
  });
}

describe("the finance order list", () => {
  it("filters by theater, state, dates and words, and pages newest first without gaps or repeats", async () => {
    const { org } = await seedOrg({ kind: "THEATER", name: "Filter Theater" });
    const { org: other } = await seedOrg({ kind: "THEATER" });
    const day = (d: number) => new Date(Date.UTC(2031, 0, d, 12));
    const made = [];
    for (let d = 1; d <= 5; d++)
      made.push(await order(org.id, { description: `Hamlet night ${d}`, createdAt: day(d) }));
    await order(org.id, { description: "Hamlet open checkout", createdAt: day(3), status: "open" });
    await order(other.id, { description: "Hamlet elsewhere", createdAt: day(3) });

    const mine = { theaterOrgId: org.id, status: "paid" as const };
    const first = await listRecentOrders(mine, 2);
    expect(first.orders.map((o) => o.description)).toEqual(["Hamlet night 5", "Hamlet night 4"]);
    expect(first.orders[0].theaterName).toBe("Filter Theater");
    const second = await listRecentOrders({ ...mine, before: first.nextBefore ?? undefined }, 2);
    const third = await listRecentOrders({ ...mine, before: second.nextBefore ?? undefined }, 2);
    expect([...second.orders, ...third.orders].map((o) => o.description)).toEqual([
      "Hamlet night 3",
      "Hamlet night 2",
      "Hamlet night 1",
    ]);
    expect(third.nextBefore).toBeNull();

    const window = await listRecentOrders({ ...mine, from: "2031-01-02", to: "2031-01-03" });
    expect(window.orders.map((o) => o.description)).toEqual(["Hamlet night 3", "Hamlet night 2"]);
    expect((await listRecentOrders({ theaterOrgId: org.id, q: "OPEN checkout" })).orders).toHaveLength(1);
    expect((await listRecentOrders({ q: made[0].id })).orders.map((o) => o.id)).toEqual([made[0].id]);

    // The overview's chart: paid sales per day, open checkouts left out, days without sales absent.
    const daily = await salesByDay(3, day(5));
    expect(daily.map((d) => [d.day, d.amountMinor, d.orders])).toEqual([
      ["2031-01-03", 5000n, 2], // €50.00: this theater's and the other's; the open checkout not
      ["2031-01-04", 2500n, 1],
      ["2031-01-05", 2500n, 1],
    ]);
  });

  it("lists payout batches newest first, filtered by state, currency and day, paged without gaps or repeats", async () => {
    const { admin: user } = await seedOrg({ kind: "THEATER" });
    const day = (d: number) => new Date(Date.UTC(2032, 4, d, 9));
    const batch = (d: number, status: string, currency = "NOK") =>
      db().payoutBatch.create({
        data: {
          id: newId("po"),
          currency,
          status,
          cutoffPostingId: 0n,
          totalMinor: 1000n * BigInt(d),
          itemCount: 1,
          createdById: user.id,
          createdAt: day(d),
        },
      });
    for (let d = 1; d <= 5; d++) await batch(d, d === 3 ? "failed" : "completed");
    await batch(4, "completed", "DKK");
    const nok = { currency: "NOK", from: "2032-05-01", to: "2032-05-31" };
    const pages = [];
    let before: string | undefined;
    do {
      const page = await listPayoutBatches({ ...nok, before }, 2);
      pages.push(page.batches.map((b) => b.createdAt.getUTCDate()));
      before = page.nextBefore ?? undefined;
    } while (before);
    expect(pages).toEqual([[5, 4], [3, 2], [1]]);
    const failed = await listPayoutBatches({ ...nok, status: "failed" });
    expect(failed.batches.map((b) => [b.createdAt.getUTCDate(), b.status])).toEqual([[3, "failed"]]);
    const window = await listPayoutBatches({ currency: "NOK", from: "2032-05-02", to: "2032-05-03" });
    expect(window.batches.map((b) => b.createdAt.getUTCDate())).toEqual([3, 2]);
    expect((await listPayoutBatches({ currency: "NOK", from: "2032-05-06", to: "2032-05-31" })).batches).toEqual([]);
    await expect(listPayoutBatches({ currency: "nok" })).rejects.toThrow();
  });
});
