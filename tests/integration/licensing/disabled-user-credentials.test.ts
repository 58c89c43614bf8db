import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createSession, findSessionByToken } from "@/lib/auth/sessions";
import { createClient } from "@/lib/oidc/clients/create-client";
import { recordConsent } from "@/lib/oidc/grants/record-consent";
import { issueAuthorizationCode } from "@/lib/oidc/authorize/issue-authorization-code";
import { handleTokenRequest } from "@/lib/oidc/tokens/handle-token-request";
import { verifyAccessToken } from "@/lib/oidc/verify-access-token";
import { issueLicenseCertificate } from "@/lib/licensing/issue-license-certificate";
import { authenticateTheaterApiToken, createTheaterApiToken } from "@/lib/licensing/theater-api-tokens";
import { disableUser } from "@/lib/orgs/disable-user";
import { cliActor, type Actor } from "@/lib/access/actor";
import { getUserAccess } from "@/lib/access/user-access";
import { seedOrg, seedUser, seedPasskeySession } from "@/tests/support/factories";
import { makeCsr, seedActiveLicense, setupCa } from "./helpers";

/**
 * Issue 12: a disabled user's theater API token kept working and still got
 * certificates issued. Disabling a user ends every credential acting for
 * them, and every check of a credential refuses a disabled user anyway.
 */
const REDIRECT = "http://localhost:5555/cb";

async function principalOf(userId: string): Promise<Actor> {
  return { type: "user", id: userId, access: await getUserAccess(userId) };
}

/** An OpenID client that holds tokens for the user: a consent, a code, and the tokens it was exchanged for. */
async function oidcTokensFor(userId: string) {
  const { client } = await db().$transaction((tx) =>
    createClient(tx, {
      metadata: { name: "Box office", redirectUris: [REDIRECT], tokenEndpointAuthMethod: "none" },
      hostOrgId: null,
      status: "approved",
      actor: { type: "system", id: "test" },
      via: "cli",
    }),
  );
  const scopes = ["openid", "offline_access"];
  const grant = await db().$transaction((tx) => recordConsent(tx, { userId, clientId: client.id, scopes }));
  const session = await seedPasskeySession(userId);
  const verifier = crypto.randomBytes(32).toString("base64url");
  const code = await issueAuthorizationCode({
    request: {
      clientId: client.id,
      redirectUri: REDIRECT,
      responseMode: "query",
      scopes,
      codeChallenge: crypto.createHash("sha256").update(verifier).digest("base64url"),
      prompt: ["consent"],
      nonce: "n-1",
    },
    userId,
    grantId: grant.id,
    sessionId: session.id,
    authTime: session.authTime,
    authMethod: "passkey",
  });
  const tokens = await handleTokenRequest(new Request("http://localhost:3999/oidc/token", { method: "POST" }), {
    grant_type: "authorization_code",
    client_id: client.id,
    code,
    redirect_uri: REDIRECT,
    code_verifier: verifier,
  });
  return { clientId: client.id, grantId: grant.id, accessToken: String(tokens.access_token) };
}

describe("a disabled user's credentials", () => {
  it("refuses a theater API token of a user disabled by other means, and issues no certificate through it", async () => {
    await setupCa(); // only this test issues certificates
    const { license, admin, org } = await seedActiveLicense();
    const made = await createTheaterApiToken({ orgId: org.id, name: "box", actor: { type: "user", id: admin.id } });
    const actor = await authenticateTheaterApiToken(made.token);
    await db().user.update({ where: { id: admin.id }, data: { disabledAt: new Date() } });

    await expect(authenticateTheaterApiToken(made.token)).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
      reason: "BAD_API_TOKEN",
    });
    // An actor authenticated a moment before the account was disabled is refused inside the acting transaction.
    const certificates = await db().licenseCertificate.count({ where: { licenseId: license.id } });
    await expect(
      issueLicenseCertificate({ licenseId: license.id, csrPem: (await makeCsr()).csrPem, actor }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db().licenseCertificate.count({ where: { licenseId: license.id } })).toBe(certificates);
  });

  it("ends sessions, OpenID grants and tokens, and API tokens when an org admin disables the account", async () => {
    const { org, admin } = await seedOrg({ kind: "THEATER" });
    const { user: orgAdmin } = await seedUser({ roles: ["ORG_ADMIN"] });
    const sessionToken = await createSession({ userId: admin.id, authMethod: "email_code" });
    const apiToken = await createTheaterApiToken({ orgId: org.id, name: "box", actor: { type: "user", id: admin.id } });
    const oidc = await oidcTokensFor(admin.id);
    expect((await verifyAccessToken(oidc.accessToken)).sub).toBeTruthy();

    const result = await disableUser({
      userId: admin.id,
      reason: "left the theater",
      actor: await principalOf(orgAdmin.id),
    });
    expect(result).toEqual({ changed: true, ended: { sessions: 2, oidcGrants: 1, theaterApiTokens: 1 } });

    // Enabled again behind everyone's back: still nothing that was issued before works.
    await db().user.update({ where: { id: admin.id }, data: { disabledAt: null } });
    expect(await findSessionByToken(sessionToken)).toBeNull();
    await expect(authenticateTheaterApiToken(apiToken.token)).rejects.toMatchObject({ reason: "BAD_API_TOKEN" });
    await expect(verifyAccessToken(oidc.accessToken)).rejects.toBeTruthy();
    expect(await db().oidcGrant.findUniqueOrThrow({ where: { id: oidc.grantId } })).toMatchObject({
      revokedAt: expect.any(Date),
    });
    expect(await db().oidcToken.count({ where: { userId: admin.id, revokedAt: null } })).toBe(0);

    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "user.disabled", subjectId: admin.id } });
    expect(event.data).toMatchObject({ reason: "left the theater", ended: { sessions: 2 } });
  });

  it("refuses anyone but an org admin, an admin disabling themself, and the last org admin, changing nothing", async () => {
    const { admin: theaterAdmin } = await seedOrg({ kind: "THEATER" });
    const { user: member } = await seedUser({ roles: ["MEMBER"] });
    const memberSession = await createSession({ userId: member.id, authMethod: "email_code" });

    await expect(
      disableUser({ userId: member.id, reason: "because", actor: await principalOf(theaterAdmin.id) }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(disableUser({ userId: member.id, reason: "", actor: cliActor })).rejects.toMatchObject({
      name: "ZodError",
    });
    const { user: orgAdmin } = await seedUser({ roles: ["ORG_ADMIN"] });
    await expect(
      disableUser({ userId: orgAdmin.id, reason: "oops", actor: await principalOf(orgAdmin.id) }),
    ).rejects.toMatchObject({ code: "CONFLICT", reason: "DISABLE_SELF" });
    expect(await db().user.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({ disabledAt: null });
    expect(await findSessionByToken(memberSession)).not.toBeNull();

    // The operator may disable anyone but the last enabled org admin.
    const otherAdmins = await db().user.findMany({
      where: { roles: { some: { role: "ORG_ADMIN" } }, disabledAt: null, id: { not: orgAdmin.id } },
      select: { id: true },
    });
    for (const a of otherAdmins) await disableUser({ userId: a.id, reason: "test: leave one admin", actor: cliActor });
    await expect(disableUser({ userId: orgAdmin.id, reason: "last one", actor: cliActor })).rejects.toMatchObject({
      code: "CONFLICT",
      reason: "LAST_ORG_ADMIN",
    });
    expect((await disableUser({ userId: member.id, reason: "left", actor: cliActor })).changed).toBe(true);
    expect((await disableUser({ userId: member.id, reason: "left", actor: cliActor })).changed).toBe(false);
  });
});
