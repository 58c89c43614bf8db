import crypto from "node:crypto";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { randomToken, sha256Hex } from "@/lib/crypto/hash";
import { seedOrg, seedUser, uniqueEmail } from "./factories";

/**
 * Two tenants for the "wrong owner" passes of the hostile suites: host and
 * theater A with real rows of every kind an action or route names by id (a
 * member with a passkey and a session, a pending invitation, an OIDC client
 * and the member's grant to it, a webhook subscription and a delivery, the
 * member's funding, a license, an API token), and the operator of host B, also
 * admin of theater B: every role a tenant's manager holds, but for B. Acting on A's ids, B must be
 * refused and A's rows left as they were.
 */
export async function seedWrongOwnerWorld() {
  const { org: host, admin: operator } = await seedOrg({ kind: "HOST" });
  const { org: theater, admin: theaterAdmin } = await seedOrg({ kind: "THEATER" });
  const { org: otherHost, admin: otherOperator } = await seedOrg({ kind: "HOST" });
  const { org: otherTheater } = await seedOrg({ kind: "THEATER" });
  await db().membership.create({ data: { orgId: otherTheater.id, userId: otherOperator.id, role: "THEATER_ADMIN" } });
  await db().userRole.create({ data: { userId: otherOperator.id, role: "MEMBER" } });
  const { user: member } = await seedUser({ roles: ["MEMBER"] });
  await db().membership.create({ data: { orgId: host.id, userId: member.id, role: "HOST_OPERATOR" } });
  const invitationToken = randomToken();
  const invitation = await db().invitation.create({
    data: {
      id: newId("inv"),
      orgId: host.id,
      email: uniqueEmail("invited"),
      role: "HOST_OPERATOR",
      tokenHash: sha256Hex(invitationToken),
      invitedById: operator.id,
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  const client = await db().oidcClient.create({
    data: {
      id: newId("gh"),
      hostOrgId: host.id,
      name: "Host A's app",
      secretHash: sha256Hex(randomToken()),
      tokenEndpointAuthMethod: "client_secret_basic",
      redirectUris: ["https://a.example.test/callback"],
      postLogoutRedirectUris: [],
      grantTypes: ["authorization_code"],
      scopes: ["openid"],
      status: "approved",
      createdById: operator.id,
    },
  });
  const grant = await db().oidcGrant.create({
    data: { id: newId("grt"), userId: member.id, clientId: client.id, scopes: ["openid"] },
  });
  const subscription = await db().webhookSubscription.create({
    data: {
      id: newId("whs"),
      orgId: host.id,
      orgKind: "HOST",
      url: "https://a.example.test/hooks",
      eventTypes: ["host.removed"],
      createdById: operator.id,
    },
  });
  const event = await db().webhookEvent.create({
    data: { id: newId("whe"), type: "host.removed", data: {}, orgId: host.id, toHosts: false },
  });
  const delivery = await db().webhookDelivery.create({
    data: { id: newId("msg"), eventId: event.id, subscriptionId: subscription.id, status: "failed", attempts: 1 },
  });
  const releaseLine = await db().releaseLine.create({ data: { id: newId("rl"), name: `line-${randomToken(4)}` } });
  const funding = await db().funding.create({
    data: {
      id: `fnd_${crypto.randomBytes(16).toString("hex")}`,
      hostOrgId: host.id,
      funderUserId: member.id,
      interval: "month",
      amountMinor: 500n,
      currency: "EUR",
      provider: "simulated",
    },
  });
  const plan = await db().licensePlan.create({
    data: {
      id: newId("lpl"),
      name: "Plan",
      termDays: 30,
      priceMinor: 1000n,
      currency: "EUR",
      entitlements: {},
      createdById: theaterAdmin.id,
    },
  });
  const license = await db().license.create({
    data: {
      id: newId("lic"),
      theaterOrgId: theater.id,
      planId: plan.id,
      status: "ACTIVE",
      entitlements: {},
      termDays: 30,
      createdById: theaterAdmin.id,
    },
  });
  const apiToken = await db().theaterApiToken.create({
    data: {
      id: newId("tat"),
      orgId: theater.id,
      userId: theaterAdmin.id,
      name: "Theater A's box office",
      tokenHash: sha256Hex(randomToken()),
      tokenPrefix: "tat_a",
    },
  });
  const passkey = await db().passkey.create({
    data: {
      id: newId("pk"),
      userId: member.id,
      credentialId: randomToken(16),
      publicKey: Buffer.from("not a key"),
      deviceType: "singleDevice",
      name: "Member's key",
    },
  });
  const session = await db().session.create({
    data: {
      id: newId("ses"),
      tokenHash: sha256Hex(randomToken()),
      userId: member.id,
      authMethod: "email_code",
      authTime: new Date(),
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  return {
    host,
    theater,
    license,
    apiToken,
    passkey,
    session,
    operator,
    member,
    invitation,
    invitationToken,
    client,
    grant,
    subscription,
    delivery,
    releaseLine,
    funding,
    otherHost,
    otherOperator,
  };
}

export type WrongOwnerWorld = Awaited<ReturnType<typeof seedWrongOwnerWorld>>;

/** Host A's rows as they are now: a refused wrong-owner call must leave them exactly so. */
export async function wrongOwnerTargets(w: WrongOwnerWorld) {
  return {
    host: await db().organization.findUnique({ where: { id: w.host.id } }),
    memberships: await db().membership.findMany({ where: { orgId: w.host.id }, orderBy: { userId: "asc" } }),
    invitation: await db().invitation.findUnique({ where: { id: w.invitation.id } }),
    client: await db().oidcClient.findUnique({ where: { id: w.client.id } }),
    grant: await db().oidcGrant.findUnique({ where: { id: w.grant.id } }),
    subscription: await db().webhookSubscription.findUnique({ where: { id: w.subscription.id } }),
    delivery: await db().webhookDelivery.findUnique({ where: { id: w.delivery.id } }),
    funding: await db().funding.findUnique({ where: { id: w.funding.id } }),
    theater: await db().organization.findUnique({ where: { id: w.theater.id } }),
    license: await db().license.findUnique({ where: { id: w.license.id } }),
    apiToken: await db().theaterApiToken.findUnique({ where: { id: w.apiToken.id } }),
    passkey: await db().passkey.findUnique({ where: { id: w.passkey.id } }),
    session: await db().session.findUnique({ where: { id: w.session.id } }),
  };
}
