import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { seedOrg, seedUser } from "./factories";
import { defaultSplitTerms } from "@/lib/splits/seed-default-split-policies";
import type { SplitPolicyKind } from "@/lib/splits/split-policy-schema";
import type { SplitPolicyTerms } from "@/lib/splits/compute-split";

/**
 * An active split policy for a product kind and currency, as the demo seed
 * makes it (other domains' tests call this before opening a checkout).
 */
export async function seedActiveSplitPolicy(
  productKind: SplitPolicyKind = "TICKET_SALE",
  currency = "EUR",
  terms: Partial<SplitPolicyTerms & { hostRule: "equal" | "usage" }> = {},
) {
  const existing = await db().splitPolicy.findFirst({ where: { productKind, currency, status: "active" } });
  if (existing) return existing;
  const last = await db().splitPolicy.findFirst({ where: { productKind, currency }, orderBy: { version: "desc" } });
  return db().splitPolicy.create({
    data: {
      id: newId("spl"),
      productKind,
      currency,
      version: (last?.version ?? 0) + 1,
      ...defaultSplitTerms[productKind],
      ...terms,
      status: "active",
      activatedAt: new Date(),
      activatedVia: "seed",
      createdById: "test",
    },
  });
}

/** A theater, two hosts, two finance users and active policies: the cast of a payments test. */
export async function seedPaymentsWorld(opts: { currency?: string } = {}) {
  const currency = opts.currency ?? "EUR";
  const theater = await seedOrg({ kind: "THEATER" });
  const hostA = await seedOrg({ kind: "HOST" });
  const hostB = await seedOrg({ kind: "HOST" });
  const { user: finance1 } = await seedUser({ roles: ["FINANCE"], name: "Finance One" });
  const { user: finance2 } = await seedUser({ roles: ["FINANCE"], name: "Finance Two" });
  await seedActiveSplitPolicy("TICKET_SALE", currency);
  await seedActiveSplitPolicy("LICENSE_SALE", currency);
  return { theater, hostA, hostB, finance1, finance2, currency };
}

export function ticketCheckoutInput(theaterOrgId: string, over: Record<string, unknown> = {}) {
  return {
    productKind: "TICKET_SALE" as const,
    theaterOrgId,
    description: "Hamlet, 2 seats",
    lineItems: [{ name: "Seat", quantity: 2, unitAmountMinor: 2500 }],
    currency: "EUR",
    fulfilment: { kind: "ticket" as const, showId: "show-1", externalRef: "host-order-9" },
    successPath: "/pay/done",
    cancelPath: "/pay/cancelled",
    actor: { type: "client" as const, id: "client_test" },
    ...over,
  };
}

/**
 * A release line that the given hosts declare they run (so fundings of it are split to them), named `name` or a
 * unique name of its own.
 */
export async function seedReleaseLineRunBy(
  hosts: { org: { id: string }; admin: { id: string } }[],
  name = `line-${newId("x").slice(2, 10)}`,
) {
  const line = await db().releaseLine.create({ data: { id: newId("rl"), name } });
  for (const host of hosts)
    await db().hostReleaseDeclaration.create({
      data: {
        hostOrgId: host.org.id,
        releaseLineId: line.id,
        releaseId: "rel_test",
        declaredById: host.admin.id,
        declaredAt: new Date(),
      },
    });
  return line;
}
