import { describe, expect, it } from "vitest";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { db } from "@/lib/db/client";
import { createClientFromCli } from "@/lib/oidc/clients/create-client-from-cli";
import { handleTokenRequest } from "@/lib/oidc/tokens/handle-token-request";
import { verifyAccessToken } from "@/lib/oidc/verify-access-token";
import { revokeToken } from "@/lib/oidc/tokens/revoke-token";
import { setHostClientsStatus } from "@/lib/oidc/clients/set-host-clients-status";
import { issueAccessToken } from "@/lib/oidc/tokens/issue-access-token";
import { invalidateLocalCaches } from "@/lib/db/invalidation-feed";
import { insertAccessTokenRow } from "@/lib/oidc/tokens/insert-access-token-row";
import { newId } from "@/lib/ids";
import { seedOrg } from "../../support/factories";
import type { OAuthError } from "@/lib/oidc/errors";
import { defined } from "../../support/defined";

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

function tokenRequest(params: Record<string, string>, authorization?: string) {
  const req = new Request("http://localhost:3999/oidc/token", {
    method: "POST",
    headers: authorization ? { authorization } : {},
  });
  return handleTokenRequest(req, params);
}

async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as OAuthError).error;
  }
  throw new Error("expected an OAuth error");
}

describe("client_credentials and verifyAccessToken", () => {
  it("issues an RFC 9068 access token that verifyAccessToken accepts, with scope checks", async () => {
    const { client, secret } = await createClientFromCli({
      name: "Ticket app",
      redirectUris: [],
      grants: ["client_credentials"],
      scopes: ["tickets:write", "tickets:read"],
      postLogoutRedirectUris: [],
    });
    const res = await tokenRequest(
      { grant_type: "client_credentials", scope: "tickets:write" },
      basic(client.id, defined(secret)),
    );
    expect(res.token_type).toBe("Bearer");
    expect(res.scope).toBe("tickets:write");
    expect(decodeProtectedHeader(String(res.access_token)).typ).toBe("at+jwt");
    const claims = decodeJwt(String(res.access_token));
    expect(claims).toMatchObject({
      iss: "http://localhost:3999",
      aud: "http://localhost:3999",
      client_id: client.id,
      sub: client.id,
      scope: "tickets:write",
    });

    const verified = await verifyAccessToken(String(res.access_token), { requiredScope: "tickets:write" });
    expect(verified).toEqual({ clientId: client.id, sub: undefined, scope: ["tickets:write"], jti: claims.jti });
    expect(await errorOf(verifyAccessToken(String(res.access_token), { requiredScope: "tickets:read" }))).toBe(
      "insufficient_scope",
    );

    await revokeToken(client, String(res.access_token));
    expect(await errorOf(verifyAccessToken(String(res.access_token)))).toBe("invalid_token");
    const stored = await db().oidcToken.findUniqueOrThrow({ where: { id: String(claims.jti) } });
    expect(stored.revokedAt).not.toBeNull();
  });

  it("refuses wrong secrets, other scopes, unsupported grants and suspended clients", async () => {
    const { org } = await seedOrg({ kind: "HOST" });
    const { client, secret } = await createClientFromCli({
      name: "Host app",
      redirectUris: [],
      grants: ["client_credentials"],
      scopes: ["tickets:write"],
      hostSlug: org.slug,
      postLogoutRedirectUris: [],
    });
    expect(await errorOf(tokenRequest({ grant_type: "client_credentials" }, basic(client.id, "wrong")))).toBe(
      "invalid_client",
    );
    expect(
      await errorOf(
        tokenRequest({ grant_type: "client_credentials", client_id: client.id, client_secret: defined(secret) }),
      ),
    ).toBe("invalid_client");
    expect(
      await errorOf(
        tokenRequest({ grant_type: "client_credentials", scope: "tickets:admin" }, basic(client.id, defined(secret))),
      ),
    ).toBe("invalid_scope");
    expect(
      await errorOf(
        tokenRequest({ grant_type: "client_credentials", scope: "openid" }, basic(client.id, defined(secret))),
      ),
    ).toBe("invalid_scope");
    expect(await errorOf(tokenRequest({ grant_type: "password" }, basic(client.id, defined(secret))))).toBe(
      "unsupported_grant_type",
    );
    expect(
      await errorOf(
        tokenRequest({ grant_type: "refresh_token", refresh_token: "x" }, basic(client.id, defined(secret))),
      ),
    ).toBe("unauthorized_client");
    expect(await errorOf(tokenRequest({}, basic(client.id, defined(secret))))).toBe("invalid_request");

    const ok = await tokenRequest({ grant_type: "client_credentials" }, basic(client.id, defined(secret)));
    await db().$transaction((tx) =>
      setHostClientsStatus(tx, { hostOrgId: org.id, status: "suspended", actor: { type: "system", id: "governance" } }),
    );
    expect(await errorOf(verifyAccessToken(String(ok.access_token)))).toBe("invalid_token");
    expect(await errorOf(tokenRequest({ grant_type: "client_credentials" }, basic(client.id, defined(secret))))).toBe(
      "invalid_client",
    );
    await db().$transaction((tx) =>
      setHostClientsStatus(tx, { hostOrgId: org.id, status: "approved", actor: { type: "system", id: "governance" } }),
    );
    expect(
      (await tokenRequest({ grant_type: "client_credentials" }, basic(client.id, defined(secret)))).access_token,
    ).toBeTruthy();
  });

  it("stores each access token's row with the times its JWT carries, on its own or inside a transaction, whatever the time zone", async () => {
    const originalTz = process.env.TZ;
    // A zone far from UTC: a timestamp written or read as local time would be hours off.
    process.env.TZ = "Asia/Kolkata";
    try {
      const { client } = await createClientFromCli({
        name: "Times",
        redirectUris: [],
        grants: ["client_credentials"],
        scopes: ["tickets:write"],
        postLogoutRedirectUris: [],
      });
      const authTime = new Date(Date.now() - 90_000);
      for (const issued of [
        await issueAccessToken({ clientId: client.id, sub: client.id, scopes: ["tickets:write"] }),
        await db().$transaction((tx) =>
          issueAccessToken(
            { clientId: client.id, sub: client.id, scopes: ["tickets:write"], authTime, authMethod: "passkey" },
            tx,
          ),
        ),
      ]) {
        const row = await db().oidcToken.findUniqueOrThrow({ where: { id: issued.jti } });
        const claims = decodeJwt(issued.token);
        expect(row.expiresAt.getTime()).toBe(defined(claims.exp) * 1000);
        expect(row.scopes).toEqual(["tickets:write"]);
        if (claims.auth_time) expect(row.authTime?.getTime()).toBe(authTime.getTime());
        expect((await verifyAccessToken(issued.token)).jti).toBe(issued.jti);
      }
    } finally {
      process.env.TZ = originalTz;
    }
  });

  it("writes the rows of tokens issued together in one statement, where one bad row fails only its own request", async () => {
    const { client } = await createClientFromCli({
      name: "Busy host",
      redirectUris: [],
      grants: ["client_credentials"],
      scopes: ["tickets:write"],
      postLogoutRedirectUris: [],
    });
    const expiresAt = new Date(Date.now() + 600_000).toISOString();
    // Asked for in the same turn of the event loop, so they leave as one batch. The sixth names a
    // client that does not exist: its row breaks the foreign key and so the batch's statement.
    const rows = Array.from({ length: 12 }, (_, i) => ({
      id: newId("at"),
      clientId: i === 5 ? "ghc_no_such_client" : client.id,
      userId: null,
      grantId: null,
      familyId: null,
      sid: null,
      scopes: i % 2 ? ["tickets:write", "tickets:read"] : [],
      authTime: null,
      authMethod: null,
      dpopJkt: i === 3 ? "jkt-of-a-dpop-key-for-the-row-test-000000000" : null,
      expiresAt,
    }));
    const results = await Promise.allSettled(rows.map((r) => insertAccessTokenRow(r)));
    expect(results.map((r) => r.status)).toEqual(rows.map((_, i) => (i === 5 ? "rejected" : "fulfilled")));
    const stored = await db().oidcToken.findMany({ where: { id: { in: rows.map((r) => r.id) } } });
    expect(stored).toHaveLength(11);
    for (const row of stored) {
      expect(row.scopes).toEqual(defined(rows.find((r) => r.id === row.id)).scopes);
      expect(row.expiresAt.toISOString()).toBe(expiresAt);
      expect(row.dpopJkt).toBe(defined(rows.find((r) => r.id === row.id)).dpopJkt);
      expect(row).toMatchObject({ kind: "access", clientId: client.id, revokedAt: null, userId: null });
    }
  });

  it("keeps authenticating clients and checking tokens while a migration adds columns under a running instance", async () => {
    const { client, secret } = await createClientFromCli({
      name: "Rolling deploy",
      redirectUris: [],
      grants: ["client_credentials"],
      scopes: ["tickets:write"],
      postLogoutRedirectUris: [],
    });
    const first = await tokenRequest(
      { grant_type: "client_credentials", scope: "tickets:write" },
      basic(client.id, defined(secret)),
    );
    await verifyAccessToken(String(first.access_token), { requiredScope: "tickets:write" });
    // What the next release's migration might do while this one still serves; prepared statements must not break.
    await db().$executeRawUnsafe(`ALTER TABLE "OidcClient" ADD COLUMN "addedByLaterRelease" TEXT`);
    await db().$executeRawUnsafe(`ALTER TABLE "OidcToken" ADD COLUMN "addedByLaterRelease" TEXT`);
    // Read the client and the token's row again through the prepared statements, not from the cache (on Postgres).
    invalidateLocalCaches();
    try {
      const second = await tokenRequest(
        { grant_type: "client_credentials", scope: "tickets:write" },
        basic(client.id, defined(secret)),
      );
      expect(await verifyAccessToken(String(second.access_token), { requiredScope: "tickets:write" })).toMatchObject({
        clientId: client.id,
      });
    } finally {
      await db().$executeRawUnsafe(`ALTER TABLE "OidcClient" DROP COLUMN "addedByLaterRelease"`);
      await db().$executeRawUnsafe(`ALTER TABLE "OidcToken" DROP COLUMN "addedByLaterRelease"`);
    }
  });
});
