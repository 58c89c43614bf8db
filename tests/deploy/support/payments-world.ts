import { seedApiClient, seedPasskeyUser } from "./world";

/**
 * The cast of a fault test, made through the domain functions on the
 * cluster's database: a theater with two hosts and active split policies,
 * every payee connected (simulated accounts), a host backend's API client,
 * users who sign in with passkeys, and two finance users with passkeys.
 */
export async function seedFaultTestWorld(tag: string, signInUsers = 4) {
  const { db } = await import("@/lib/db/client");
  const { seedPaymentsWorld } = await import("../../support/payments-factories");
  const { connectPayeeAccount } = await import("@/lib/payouts/connect-payee-account");
  const w = await seedPaymentsWorld();
  const actor = { type: "system" as const, id: "test" };
  await connectPayeeAccount({ actor, kind: "theater_payable", orgId: w.theater.org.id, returnPath: "/" });
  await connectPayeeAccount({ actor, kind: "host_payable", orgId: w.hostA.org.id, returnPath: "/" });
  await connectPayeeAccount({ actor, kind: "host_payable", orgId: w.hostB.org.id, returnPath: "/" });
  await connectPayeeAccount({ actor, kind: "developers_fund", orgId: null, returnPath: "/" });
  const client = await seedApiClient(`${tag} host backend`);
  const signIns = [];
  for (let i = 0; i < signInUsers; i++)
    signIns.push((await seedPasskeyUser(`${tag}-user-${i}@example.test`)).authenticator);
  const finance = [];
  for (let i = 0; i < 2; i++) {
    const { user, authenticator } = await seedPasskeyUser(`${tag}-finance-${i}@example.test`);
    await db().userRole.create({ data: { userId: user.id, role: "FINANCE" } });
    finance.push(authenticator);
  }
  return {
    theaterOrgId: w.theater.org.id,
    client,
    signIns,
    finance: finance as [(typeof finance)[0], (typeof finance)[0]],
  };
}
