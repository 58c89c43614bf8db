import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { listRecentOrders } from "@/lib/payments/list-recent-orders";
import { salesByDay } from "@/lib/payments/sales-by-day";
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
});
