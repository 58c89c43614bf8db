import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { seedDemoIfEmpty } from "@/lib/seed/seed-demo-if-empty";
import { seedDemoActivity } from "@/lib/demo/seed-demo-activity";
import { demoAccounts } from "@/lib/seed/demo-accounts";
import { verifyStoredAuditChain } from "@/lib/audit/verify-stored-audit-chain";

describe("the demo's activity", () => {
  it("makes paid orders, a refund, a client awaiting approval and an open vote through the real operations", async () => {
    expect(await seedDemoIfEmpty()).toBe(true);
    await seedDemoActivity();
    const theater = await db().organization.findUniqueOrThrow({ where: { slug: demoAccounts.theater.slug } });
    const orders = await db().paymentOrder.findMany({ where: { theaterOrgId: theater.id } });
    expect(orders.map((o) => o.status)).toEqual(["paid", "paid", "paid"]);
    expect(orders.reduce((t, o) => t + o.refundedMinor, 0n)).toBe(2800n); // €28.00, one seat
    expect(await db().oidcClient.count({ where: { status: "pending" } })).toBe(1);
    expect(await db().proposal.count({ where: { status: "open" } })).toBe(1);
    expect((await verifyStoredAuditChain()).ok).toBe(true);
  });
});
