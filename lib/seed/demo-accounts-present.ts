import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { demoAccounts } from "@/lib/seed/demo-accounts";

export type DemoAccountLine = { who: string; email: string; tryThis: string };

/** Every demo account with what its holder can try, in the order a newcomer meets them. */
export function demoAccountLines(): DemoAccountLine[] {
  const a = demoAccounts;
  return [
    { who: "Org admin", email: a.admin.email, tryThis: "users and roles, host clients, licensing, the audit log" },
    ...a.members.map((m) => ({ who: "Member", email: m.email, tryThis: "open votes: cast a binding vote" })),
    ...[a.finance, a.finance2].map((f) => ({
      who: "Finance",
      email: f.email,
      tryThis: "orders, refunds, payout batches (two approvals)",
    })),
    {
      who: "Theater admin",
      email: a.theaterAdmin.email,
      tryThis: `${a.theater.name}: buy a license, make a key, API tokens`,
    },
    { who: "Host operator", email: a.hostOperator.email, tryThis: `${a.host.name}: register an OpenID client` },
  ];
}

/** Whether this portal seeds the demo organization (SEED_DEMO) and still has its admin account. */
export async function demoAccountsExist(): Promise<boolean> {
  if (!env().seedDemo) return false;
  return !!(await db().user.findUnique({ where: { email: demoAccounts.admin.email }, select: { id: true } }));
}

/**
 * The demo accounts, for the home page of a demo portal: the embedded one
 * (`npm start` without DATABASE_URL) that seeded the demo organization and
 * still has its admin account. Empty on any other portal, so a production
 * home page never lists addresses.
 */
export async function demoAccountsPresent(): Promise<DemoAccountLine[]> {
  return env().embedded && (await demoAccountsExist()) ? demoAccountLines() : [];
}
