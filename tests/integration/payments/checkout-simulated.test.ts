import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createCheckout } from "@/lib/payments/create-checkout";
import { completeSimulatedCheckout } from "@/lib/payments/complete-simulated-checkout";
import { getCheckoutStatus } from "@/lib/payments/get-checkout-status";
import { checkLedger } from "@/lib/ledger/check-ledger";
import { getAccountBalances } from "@/lib/ledger/get-account-balances";
import { simulatedFeeMinor } from "@/lib/payment-provider/simulated-fee";
import { seedPaymentsWorld, ticketCheckoutInput } from "../../support/payments-factories";
import { defined } from "../../support/defined";

describe("checkout through the simulated provider", () => {
  it("opens a checkout with the server's amount, pays it, posts the split and fulfils the tickets", async () => {
    const w = await seedPaymentsWorld();
    const { checkoutId, url } = await createCheckout(ticketCheckoutInput(w.theater.org.id));
    expect(checkoutId).toMatch(/^ord_/);
    expect(url).toBe(`http://localhost:3999/pay/simulated/${checkoutId}`);
    const order = await db().paymentOrder.findUniqueOrThrow({ where: { id: checkoutId } });
    expect(order).toMatchObject({ amountMinor: 5000n, currency: "EUR", status: "open", provider: "simulated" });

    expect((await completeSimulatedCheckout({ orderId: checkoutId, cardNumber: "4242 4242 4242 4242" })).result).toBe(
      "paid",
    );
    const paid = await db().paymentOrder.findUniqueOrThrow({ where: { id: checkoutId } });
    expect(paid.status).toBe("paid");
    expect(paid.feeMinor).toBe(BigInt(simulatedFeeMinor(5000)));
    const sale = await db().ledgerPosting.findMany({ where: { entryId: defined(paid.saleEntryId) } });
    expect(sale.reduce((s, p) => s + p.amountMinor, 0n)).toBe(0n);
    const theaterBalance = (await getAccountBalances({ orgId: w.theater.org.id }))[0];
    // 85 % of the net after the org's 10-cent fixed fee, by largest remainder.
    expect(theaterBalance.balanceMinor).toBeLessThan(0);
    expect(await db().ticketSale.findUnique({ where: { orderId: checkoutId } })).toMatchObject({
      showId: "show-1",
      quantity: 2,
      clientId: "client_test",
    });
    expect(await getCheckoutStatus(checkoutId, { type: "client", id: "client_test" })).toMatchObject({
      status: "paid",
      amountMinor: 5000,
    });
    expect((await checkLedger()).ok).toBe(true);

    // Paying again (a double submit) changes nothing.
    expect((await completeSimulatedCheckout({ orderId: checkoutId, cardNumber: "4242424242424242" })).result).toBe(
      "paid",
    );
    expect(await db().journalEntry.count({ where: { orderId: checkoutId } })).toBe(1);
  });

  it("keeps a declined order open and disputes the dispute card's payment", async () => {
    const w = await seedPaymentsWorld();
    const { checkoutId } = await createCheckout(ticketCheckoutInput(w.theater.org.id));
    expect((await completeSimulatedCheckout({ orderId: checkoutId, cardNumber: "4000000000000002" })).result).toBe(
      "declined",
    );
    expect((await db().paymentOrder.findUniqueOrThrow({ where: { id: checkoutId } })).status).toBe("open");
    expect((await completeSimulatedCheckout({ orderId: checkoutId, cardNumber: "4000000000000259" })).result).toBe(
      "disputed",
    );
    const order = await db().paymentOrder.findUniqueOrThrow({ where: { id: checkoutId } });
    expect(order.disputedMinor).toBe(5000n);
    const theater = (await getAccountBalances({ orgId: w.theater.org.id }))[0];
    expect(theater.balanceMinor).toBe(0);
    expect((await checkLedger()).ok).toBe(true);
  });

  it("answers the same checkout for a replayed Idempotency-Key and refuses the key with other parameters", async () => {
    const w = await seedPaymentsWorld();
    const input = ticketCheckoutInput(w.theater.org.id, { idempotencyKey: "key-1" });
    const first = await createCheckout(input);
    expect(await createCheckout(input)).toEqual(first);
    await expect(
      createCheckout({ ...input, lineItems: [{ name: "Seat", quantity: 3, unitAmountMinor: 2500 }] }),
    ).rejects.toMatchObject({ code: "UNPROCESSABLE", reason: "IDEMPOTENCY_KEY_REUSED" });
    // Another client may use the same key for its own checkout.
    const other = await createCheckout({ ...input, actor: { type: "client", id: "client_other" } });
    expect(other.checkoutId).not.toBe(first.checkoutId);
    await expect(getCheckoutStatus(first.checkoutId, { type: "client", id: "client_other" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("refuses bad input and checkouts without an active policy, changing nothing", async () => {
    const w = await seedPaymentsWorld();
    const before = await db().paymentOrder.count();
    await expect(createCheckout(ticketCheckoutInput(w.theater.org.id, { currency: "JPY" }))).rejects.toMatchObject({
      code: "UNPROCESSABLE",
      reason: "NO_ACTIVE_SPLIT_POLICY",
    });
    await expect(createCheckout(ticketCheckoutInput(w.hostA.org.id))).rejects.toMatchObject({
      code: "NOT_FOUND",
      reason: "THEATER_NOT_FOUND",
    });
    await expect(
      createCheckout(
        ticketCheckoutInput(w.theater.org.id, { lineItems: [{ name: "Free", quantity: 1, unitAmountMinor: 0 }] }),
      ),
    ).rejects.toMatchObject({ reason: "AMOUNT_ZERO" });
    await expect(
      createCheckout(ticketCheckoutInput(w.theater.org.id, { successPath: "//evil.example/x" })),
    ).rejects.toThrow();
    await expect(
      createCheckout(ticketCheckoutInput(w.theater.org.id, { fulfilment: { kind: "license", licenseId: "lic_1" } })),
    ).rejects.toThrow();
    expect(await db().paymentOrder.count()).toBe(before);
  });

  it("fails a paid order loudly when no fulfiller is registered for its kind", async () => {
    const w = await seedPaymentsWorld();
    const { checkoutId } = await createCheckout(ticketCheckoutInput(w.theater.org.id));
    // An order of a kind this build cannot deliver (say, one removed since the checkout opened).
    await db().paymentOrder.update({ where: { id: checkoutId }, data: { fulfilmentKind: "merchandise" } });
    await expect(completeSimulatedCheckout({ orderId: checkoutId, cardNumber: "4242424242424242" })).rejects.toThrow(
      /no fulfiller is registered for orders of kind "merchandise"/,
    );
    const order = await db().paymentOrder.findUniqueOrThrow({ where: { id: checkoutId } });
    expect(order.status).toBe("open");
    expect(await db().journalEntry.count({ where: { orderId: checkoutId } })).toBe(0);
    expect(await db().paymentEvent.count({ where: { eventId: `sim_evt_completed_${checkoutId}` } })).toBe(0);
  });
});
