import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { seedDemoIfEmpty } from "@/lib/seed/seed-demo-if-empty";
import { demoAccounts } from "@/lib/seed/demo-accounts";
import { getUserAccess } from "@/lib/access/user-access";
import { verifyStoredAuditChain } from "@/lib/audit/verify-stored-audit-chain";

describe("first-start seed", () => {
  it("seeds the demo organization exactly once, even when two instances start together", async () => {
    const results = await Promise.all([seedDemoIfEmpty(), seedDemoIfEmpty()]);
    expect(results.sort()).toEqual([false, true]);
    expect(await seedDemoIfEmpty()).toBe(false);
    expect(await db().user.count()).toBe(5 + demoAccounts.members.length);
    expect((await verifyStoredAuditChain()).ok).toBe(true);
  });

  it("gives each demo account the roles the sign-in hint promises", async () => {
    const access = async (email: string) => getUserAccess((await db().user.findUniqueOrThrow({ where: { email } })).id);
    expect((await access(demoAccounts.admin.email)).roles.sort()).toEqual(["MEMBER", "ORG_ADMIN"]);
    for (const m of demoAccounts.members) expect((await access(m.email)).roles).toEqual(["MEMBER"]);
    expect((await access(demoAccounts.finance.email)).roles).toEqual(["FINANCE"]);
    expect((await access(demoAccounts.finance2.email)).roles).toEqual(["FINANCE"]);
    expect((await access(demoAccounts.theaterAdmin.email)).memberships).toMatchObject([
      { slug: demoAccounts.theater.slug, kind: "THEATER", role: "THEATER_ADMIN" },
    ]);
    expect((await access(demoAccounts.hostOperator.email)).memberships).toMatchObject([
      { slug: demoAccounts.host.slug, kind: "HOST", role: "HOST_OPERATOR" },
    ]);
    const host = await db().organization.findUniqueOrThrow({ where: { slug: demoAccounts.host.slug } });
    expect(host.status).toBe("ACTIVE");
  });
});
