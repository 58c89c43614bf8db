import { userActor } from "@/lib/access/actor";
import "server-only";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { demoAccounts } from "@/lib/seed/demo-accounts";
import { createCheckout } from "@/lib/payments/create-checkout";
import { completeSimulatedCheckout } from "@/lib/payments/complete-simulated-checkout";
import { refundOrder } from "@/lib/payments/refund-order";
import { registerHostClient } from "@/lib/oidc/clients/register-host-client";
import { createProposal } from "@/lib/governance/create-proposal";

/**
 * For the demo seed only, right after the demo organization is made: some
 * life in it, made through the same operations people use, so every number is
 * in the ledger and the audit chain as it would be. Three paid ticket orders
 * of The Globe Theater (simulated provider, test card), one partly refunded by
 * finance; a host client of North Host awaiting an org admin's approval; an
 * open policy vote. The start calls it only on the embedded demo portal
 * (`npm start` without DATABASE_URL) with the simulated provider: a demo must
 * not make orders at Stripe, and the end-to-end tests' Postgres portal keeps
 * the demo organization as it is made. The closed vote is made apart, on every
 * demo portal (./seed-demo-closed-vote.ts).
 */
export async function seedDemoActivity(): Promise<void> {
  const user = (email: string) => db().user.findUniqueOrThrow({ where: { email }, select: { id: true } });
  const theater = await db().organization.findUniqueOrThrow({ where: { slug: demoAccounts.theater.slug } });
  const host = await db().organization.findUniqueOrThrow({ where: { slug: demoAccounts.host.slug } });
  const [admin, finance, operator] = await Promise.all([
    user(demoAccounts.admin.email),
    user(demoAccounts.finance.email),
    user(demoAccounts.hostOperator.email),
  ]);

  const sales = [
    { show: "hamlet-2026-12-12", what: "Hamlet, 12 December", seats: 2, priceMinor: 3500 }, // €35.00 a seat
    { show: "tempest-2026-12-13", what: "The Tempest, 13 December", seats: 4, priceMinor: 2800 }, // €28.00
    { show: "lear-2026-12-19", what: "King Lear, 19 December", seats: 1, priceMinor: 4200 }, // €42.00
  ];
  const paid: string[] = [];
  for (const s of sales) {
    const { checkoutId } = await createCheckout({
      productKind: "TICKET_SALE",
      theaterOrgId: theater.id,
      description: `${s.seats} ${s.seats === 1 ? "seat" : "seats"} for ${s.what}`,
      lineItems: [{ name: `Seat, ${s.what}`, quantity: s.seats, unitAmountMinor: s.priceMinor }],
      currency: "EUR",
      fulfilment: { kind: "ticket", showId: s.show },
      successPath: "/pay/done",
      cancelPath: "/pay/cancelled",
      actor: { type: "system", id: "seed" },
    });
    const result = await completeSimulatedCheckout({ orderId: checkoutId, cardNumber: "4242424242424242" });
    if (result.result === "paid") paid.push(checkoutId);
  }
  // One seat of the Tempest order goes back: a visitor who could not come.
  if (paid[1])
    await refundOrder({
      actor: { type: "user", id: finance.id },
      orderId: paid[1],
      amountMinor: 2800,
      reason: "Demo: one visitor could not come",
      requestKey: "demo-refund-1",
    });

  await registerHostClient({
    actor: userActor(operator.id),
    hostOrgId: host.id,
    metadata: { name: "North Host box office", redirectUris: ["http://localhost:4000/callback"] },
  });
  await createProposal({
    kind: "policy",
    title: "Publish every release's signing key fingerprint on the home page",
    content: {
      text: "Each release manifest's signing key fingerprint is shown on Guildhall's home page, so a host can compare it with what it verified.",
    },
    openNow: true,
    actor: userActor(admin.id),
  });
  log.info({ orders: paid.length }, "demo activity seeded");
}
