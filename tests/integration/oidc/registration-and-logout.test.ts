import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SignJWT, createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { sha256Hex } from "@/lib/crypto/hash";
import { drainOutbox } from "@/lib/outbox/kick-outbox";
import { issueInitialAccessToken, revokeInitialAccessToken } from "@/lib/oidc/clients/initial-access-tokens";
import { registerClientDynamically } from "@/lib/oidc/clients/register-client-dynamically";
import { handleTokenRequest } from "@/lib/oidc/tokens/handle-token-request";
import { enqueueBackchannelLogouts } from "@/lib/oidc/logout/enqueue-backchannel-logouts";
import { createClientFromCli } from "@/lib/oidc/clients/create-client-from-cli";
import { countPendingClients, listClientsPage } from "@/lib/oidc/clients/list-clients";
import { subjectFor } from "@/lib/oidc/subject";
import { sidOf } from "@/lib/oidc/logout/sid";
import { oidcJwks } from "@/lib/oidc/signing";
import { recordConsent } from "@/lib/oidc/grants/record-consent";
import { revokeGrant } from "@/lib/oidc/grants/revoke-grant";
import { issueAccessToken } from "@/lib/oidc/tokens/issue-access-token";
import { verifyAccessToken } from "@/lib/oidc/verify-access-token";
import { createSession, endSessionByToken } from "@/lib/auth/sessions";
import { userActor } from "@/lib/access/actor";
import { seedOrg, seedUser, seedPasskeySession } from "../../support/factories";
import { registerPrivateKeyJwtClient } from "../../support/oidc-clients";
import { defined } from "../../support/defined";

const ISSUER = "http://localhost:3999";

async function oauthError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as { error: string }).error;
  }
  throw new Error("expected an OAuth error");
}

let received: string[] = [];
let receiver: http.Server;
let receiverUrl = "";

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push(new URLSearchParams(body).get("logout_token") ?? "");
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/backchannel`;
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

describe("dynamic registration (RFC 7591)", () => {
  it("needs a live initial access token and applies the portal's metadata rules", async () => {
    const { org } = await seedOrg({ kind: "HOST" });
    const { user: admin } = await seedUser({ roles: ["ORG_ADMIN"] });
    const iat = await issueInitialAccessToken({ actor: { type: "user", id: admin.id }, hostOrgId: org.id, ttlDays: 1 });
    expect(await oauthError(registerClientDynamically(undefined, {}))).toBe("invalid_token");
    expect(
      await oauthError(registerClientDynamically("not-a-token", { redirect_uris: ["https://rp.example/cb"] })),
    ).toBe("invalid_token");
    expect(
      await oauthError(registerClientDynamically(iat.token, { redirect_uris: ["https://rp.example/cb#frag"] })),
    ).toBe("invalid_redirect_uri");
    expect(
      await oauthError(
        registerClientDynamically(iat.token, {
          redirect_uris: ["https://rp.example/cb"],
          token_endpoint_auth_method: "private_key_jwt",
        }),
      ),
    ).toBe("invalid_client_metadata");

    const registered = await registerClientDynamically(iat.token, {
      client_name: "Auto",
      redirect_uris: ["https://rp.example/cb"],
      scope: "openid email",
    });
    expect(registered.client_secret).toBeTruthy();
    const stored = await db().oidcClient.findUniqueOrThrow({ where: { id: registered.client_id } });
    expect(stored).toMatchObject({ hostOrgId: org.id, status: "approved", registeredVia: "dynamic" });
    expect(stored.secretHash).toBe(sha256Hex(defined(registered.client_secret)));

    // Issuing and revoking are an org admin's: anyone else is refused and the token stays live.
    const { user: member } = await seedUser({ roles: ["MEMBER"] });
    await expect(
      issueInitialAccessToken({ actor: userActor(member.id), hostOrgId: org.id, ttlDays: 1 }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(revokeInitialAccessToken({ id: iat.id, actor: userActor(member.id) })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await db().oidcInitialAccessToken.findUniqueOrThrow({ where: { id: iat.id } })).revokedAt).toBeNull();
    expect(await db().oidcInitialAccessToken.count({ where: { createdById: member.id } })).toBe(0);

    await revokeInitialAccessToken({ id: iat.id, actor: userActor(admin.id) });
    expect(await oauthError(registerClientDynamically(iat.token, { redirect_uris: ["https://rp.example/cb"] }))).toBe(
      "invalid_token",
    );
    const events = await db().auditEvent.findMany({
      where: { action: { startsWith: "oidc_" } },
      select: { action: true },
    });
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        "oidc_initial_access_token.issued",
        "oidc_client.registered",
        "oidc_initial_access_token.revoked",
      ]),
    );
  });
});

describe("the admins' client list", () => {
  it("lists every client newest first, by status, host and words, paged without gaps or repeats", async () => {
    const { org: host } = await seedOrg({ kind: "HOST" });
    const tag = newId("x").slice(-6);
    const made: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const c = await db().oidcClient.create({
        data: {
          id: newId("cl"),
          name: `List ${tag} ${i}`,
          hostOrgId: host.id,
          status: i === 2 ? "pending" : "approved",
          tokenEndpointAuthMethod: "client_secret_basic",
          redirectUris: ["https://list.example/cb"],
          postLogoutRedirectUris: [],
          grantTypes: ["authorization_code"],
          scopes: ["openid"],
          createdAt: new Date(Date.UTC(2034, 0, i)),
        },
      });
      made.push(c.id);
    }
    const mine = { hostOrgId: host.id };
    const first = await listClientsPage(mine, 2);
    const second = await listClientsPage({ ...mine, before: first.nextBefore ?? undefined }, 2);
    expect([...first.clients, ...second.clients].map((c) => c.id)).toEqual([made[2], made[1], made[0]]);
    expect(second.nextBefore).toBeNull();
    expect(first.clients[0].host?.id).toBe(host.id);
    expect((await listClientsPage({ ...mine, status: "pending" })).clients.map((c) => c.id)).toEqual([made[1]]);
    expect((await listClientsPage({ q: `list ${tag} 3` })).clients.map((c) => c.id)).toEqual([made[2]]);
    expect((await listClientsPage({ q: made[0] })).clients.map((c) => c.id)).toEqual([made[0]]);
    expect(await countPendingClients()).toBeGreaterThanOrEqual(1);
  });
});

describe("private_key_jwt", () => {
  it("accepts a signed assertion once, within the clock skew, and refuses replays and wrong audiences", async () => {
    const { client, privateKey } = await registerPrivateKeyJwtClient();
    const assertion = (aud: string, iatOffset = 0) =>
      new SignJWT({ jti: newId("j") })
        .setProtectedHeader({ alg: "ES256", kid: "k1" })
        .setIssuer(client.client_id)
        .setSubject(client.client_id)
        .setAudience(aud)
        .setIssuedAt(Math.floor(Date.now() / 1000) + iatOffset)
        .setExpirationTime("2m")
        .sign(privateKey);
    const request = (a: string) =>
      handleTokenRequest(new Request(`${ISSUER}/oidc/token`, { method: "POST" }), {
        grant_type: "client_credentials",
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: a,
      });

    const first = await assertion(`${ISSUER}/oidc/token`, 240); // a client clock 4 minutes ahead
    expect((await request(first)).scope).toBe("tickets:write");
    expect(await oauthError(request(first))).toBe("invalid_client");
    expect(await oauthError(request(await assertion("https://elsewhere.example/token")))).toBe("invalid_client");
    expect(await oauthError(request(await assertion(`${ISSUER}/oidc/token`, 600)))).toBe("invalid_client");
  });
});

describe("subjects, consent and back-channel logout", () => {
  it("pairwise subjects agree within a sector and differ across sectors", async () => {
    const c = (host: string) => ({
      subjectType: "pairwise",
      sectorIdentifier: null,
      redirectUris: [`https://${host}/cb`],
    });
    expect(subjectFor(c("a.example"), "usr_1")).toBe(subjectFor(c("a.example"), "usr_1"));
    expect(subjectFor(c("a.example"), "usr_1")).not.toBe(subjectFor(c("b.example"), "usr_1"));
    expect(subjectFor(c("a.example"), "usr_1")).not.toBe(subjectFor(c("a.example"), "usr_2"));
    expect(subjectFor({ ...c("a.example"), subjectType: "public" }, "usr_1")).toBe("usr_1");
  });

  it("revoking consent is refused for another user and ends the app's tokens", async () => {
    const { user } = await seedUser();
    const { user: other } = await seedUser();
    const { client } = await createClientFromCli({
      name: "RP",
      redirectUris: ["https://rp.example/cb"],
      grants: [],
      scopes: [],
      postLogoutRedirectUris: [],
    });
    const grant = await db().$transaction((tx) =>
      recordConsent(tx, { userId: user.id, clientId: client.id, scopes: ["openid"] }),
    );
    const at = await issueAccessToken({
      clientId: client.id,
      sub: user.id,
      userId: user.id,
      scopes: ["openid"],
      grantId: grant.id,
    });
    await expect(revokeGrant({ userId: other.id, grantId: grant.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await verifyAccessToken(at.token)).sub).toBe(user.id);
    await revokeGrant({ userId: user.id, grantId: grant.id });
    expect(await oauthError(verifyAccessToken(at.token))).toBe("invalid_token");
  });

  it("sends a signed logout token to each client that signed the user in during the session", async () => {
    received = [];
    const { user } = await seedUser();
    const { client } = await createClientFromCli({
      name: "BCL RP",
      redirectUris: ["https://rp.example/cb"],
      grants: [],
      scopes: [],
      subjectType: "pairwise",
      postLogoutRedirectUris: [],
      backchannelLogoutUri: receiverUrl,
    });
    const session = await seedPasskeySession(user.id);
    await issueAccessToken({
      clientId: client.id,
      sub: subjectFor(client, user.id),
      userId: user.id,
      scopes: ["openid"],
      sid: sidOf(session.id),
    });
    expect(
      await db().$transaction((tx) => enqueueBackchannelLogouts(tx, { sessionId: session.id, userId: user.id })),
    ).toBe(1);
    await drainOutbox();
    expect(received).toHaveLength(1);
    expect(decodeProtectedHeader(received[0]).typ).toBe("logout+jwt");
    const { payload } = await jwtVerify(received[0], createLocalJWKSet(await oidcJwks()), {
      issuer: ISSUER,
      audience: client.id,
    });
    expect(payload).toMatchObject({
      sub: subjectFor(client, user.id),
      sid: sidOf(session.id),
      events: { "http://schemas.openid.net/event/backchannel-logout": {} },
    });
    expect(payload.nonce).toBeUndefined();
  });

  it("signing out of Guildhall anywhere queues the back-channel logout of the hosts used in that session", async () => {
    const { user } = await seedUser();
    const { client } = await createClientFromCli({
      name: "BCL RP 2",
      redirectUris: ["https://rp2.example/cb"],
      grants: [],
      scopes: [],
      postLogoutRedirectUris: [],
      backchannelLogoutUri: receiverUrl,
    });
    const token = await createSession({ userId: user.id, authMethod: "email_code" });
    const session = await db().session.findUniqueOrThrow({ where: { tokenHash: sha256Hex(token) } });
    await issueAccessToken({
      clientId: client.id,
      sub: user.id,
      userId: user.id,
      scopes: ["openid"],
      sid: sidOf(session.id),
    });
    await endSessionByToken(token);
    const jobs = await db().outboxJob.findMany({
      where: { kind: "oidc.backchannel_logout", idempotencyKey: `bcl:${sidOf(session.id)}:${client.id}` },
    });
    expect(jobs).toHaveLength(1);
  });
});
