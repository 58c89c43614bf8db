import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { seedDemoIfEmpty } from "@/lib/seed/seed-demo-if-empty";
import { seedDemoActivity } from "@/lib/demo/seed-demo-activity";
import { demoSeedPasskeyName, seedDemoClosedVote } from "@/lib/demo/seed-demo-closed-vote";
import { demoAccounts } from "@/lib/seed/demo-accounts";
import { verifyStoredAuditChain } from "@/lib/audit/verify-stored-audit-chain";
import { verifyProposal } from "@/lib/governance/verify-proposal";

describe("the demo's activity", () => {
  beforeAll(async () => {
    expect(await seedDemoIfEmpty()).toBe(true);
  });

  it("makes paid orders, a refund, a client awaiting approval and an open vote through the real operations", async () => {
    await seedDemoActivity();
    const theater = await db().organization.findUniqueOrThrow({ where: { slug: demoAccounts.theater.slug } });
    const orders = await db().paymentOrder.findMany({ where: { theaterOrgId: theater.id } });
    expect(orders.map((o) => o.status)).toEqual(["paid", "paid", "paid"]);
    expect(orders.reduce((t, o) => t + o.refundedMinor, 0n)).toBe(2800n); // €28.00, one seat
    expect(await db().oidcClient.count({ where: { status: "pending" } })).toBe(1);
    expect(await db().proposal.count({ where: { status: "open" } })).toBe(1);
    expect((await verifyStoredAuditChain()).ok).toBe(true);
  });

  // Four passkey registrations, four signed ballots and a close that re-verifies them: more than the default
  // 30 s on a loaded 2-core machine.
  it("makes a closed vote whose tally verifies, through the real operations", { timeout: 120_000 }, async () => {
    const closedId = await seedDemoClosedVote();
    // The closed vote ran a whole window (opened over 72 h ago) and re-verifies as `governance verify` does it:
    // every ballot's signature, the signed tally, and each ballot against the transparency log.
    const closed = await db().proposal.findUniqueOrThrow({ where: { id: closedId } });
    expect(closed).toMatchObject({ status: "closed", outcome: "passed" });
    expect(Number(closed.closesAt) - Number(closed.openedAt)).toBe(72 * 3_600_000);
    expect(Number(closed.closedAt)).toBeGreaterThanOrEqual(Number(closed.closesAt));
    const verdict = await verifyProposal(closedId);
    expect(verdict.problems).toEqual([]);
    expect(verdict.ok).toBe(true);
    expect(verdict.recomputed.tally.binding).toEqual({ plus: 3, zero: 1, minus: 0 });
    expect(verdict.loggedBallots).toBe(4);
    // Each voter's passkey was registered and, after the close, removed: nobody holds one that cannot sign.
    expect(await db().passkey.count()).toBe(0);
    const passkeyEvents = await db().auditEvent.findMany({
      where: { action: { in: ["passkey.added", "passkey.removed"] } },
      select: { action: true, data: true },
    });
    expect(passkeyEvents.filter((e) => e.action === "passkey.added")).toHaveLength(4);
    expect(passkeyEvents.filter((e) => e.action === "passkey.removed")).toHaveLength(4);
    expect(new Set(passkeyEvents.map((e) => (e.data as { name?: string }).name))).toEqual(
      new Set([demoSeedPasskeyName]),
    );
    expect((await verifyStoredAuditChain()).ok).toBe(true);
  });
});
