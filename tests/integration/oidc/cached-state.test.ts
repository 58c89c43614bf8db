import { afterEach, describe, expect, it, vi } from "vitest";
import pg from "pg";
import { env } from "@/lib/config/env";
import { awaitNotificationsDelivered, invalidationFeed } from "@/lib/db/invalidation-feed";
import { createClientFromCli } from "@/lib/oidc/clients/create-client-from-cli";
import { handleTokenRequest } from "@/lib/oidc/tokens/handle-token-request";
import { verifyAccessToken } from "@/lib/oidc/verify-access-token";
import { oidcTtl } from "@/lib/oidc/config";
import type { OAuthError } from "@/lib/oidc/errors";
import { defined } from "../../support/defined";

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;
const onPostgres = process.env.TEST_DB === "postgres";

function tokenRequest(authorization: string) {
  const req = new Request("http://localhost:3999/oidc/token", { method: "POST", headers: { authorization } });
  return handleTokenRequest(req, { grant_type: "client_credentials" });
}

async function errorOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as OAuthError).error;
  }
}

/** Runs SQL on a connection of its own, as another portal instance, the CLI or an operator in psql would. */
async function elsewhere(sql: string, values: unknown[], opts: { withoutTriggers?: boolean } = {}) {
  const c = new pg.Client({ connectionString: env().databaseUrl });
  await c.connect();
  try {
    // Triggers off (superuser only): a change that sends no notification, to tell a cached answer from a fresh read.
    if (opts.withoutTriggers) await c.query("SET session_replication_role = replica");
    await c.query(sql, values);
  } finally {
    await c.end();
  }
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 3_000): Promise<boolean> {
  for (const until = Date.now() + timeoutMs; Date.now() < until; await new Promise((r) => setTimeout(r, 20)))
    if (await check()) return true;
  return check();
}

async function ccClient(name: string) {
  const { client, secret } = await createClientFromCli({
    name,
    redirectUris: [],
    grants: ["client_credentials"],
    scopes: ["tickets:write"],
    postLogoutRedirectUris: [],
  });
  return { client, authorization: basic(client.id, defined(secret)) };
}

describe("OIDC state cached per process (Postgres, with the invalidation feed live)", () => {
  it.runIf(onPostgres)("drops a client another process suspends, at its notification", async () => {
    expect(invalidationFeed.live).toBe(true);
    const { client, authorization } = await ccClient("Suspended elsewhere");
    await tokenRequest(authorization);
    // The client's creation and the first token's signing key notify too; once those have
    // arrived (and dropped the caches), a second request caches the client for good.
    await awaitNotificationsDelivered();
    await tokenRequest(authorization);
    const generation = invalidationFeed.generation;
    // Without a notification the cached record still answers: the cache is in use.
    await elsewhere(`UPDATE "OidcClient" SET "status" = 'suspended' WHERE "id" = $1`, [client.id], {
      withoutTriggers: true,
    });
    expect((await tokenRequest(authorization)).access_token).toBeTruthy();
    expect(invalidationFeed.generation).toBe(generation);
    // The same change with its trigger: every process drops what it held.
    await elsewhere(`UPDATE "OidcClient" SET "status" = 'suspended' WHERE "id" = $1`, [client.id]);
    expect(await eventually(async () => (await errorOf(tokenRequest(authorization))) === "invalid_client")).toBe(true);
  });

  it.runIf(onPostgres)("refuses an access token another process revokes, at its notification", async () => {
    const { authorization } = await ccClient("Token revoked elsewhere");
    const token = String((await tokenRequest(authorization)).access_token);
    const { jti } = await verifyAccessToken(token);
    await elsewhere(`UPDATE "OidcToken" SET "revokedAt" = now() WHERE "id" = $1`, [jti]);
    expect(await eventually(async () => (await errorOf(verifyAccessToken(token))) === "invalid_token")).toBe(true);
  });

  it.runIf(onPostgres)(
    "goes dark when its connection is lost, caching nothing, and live again once it reconnects",
    async () => {
      const { client, authorization } = await ccClient("Feed lost");
      await tokenRequest(authorization);
      await elsewhere(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN guildhall_invalidate'`,
        [],
      );
      expect(await eventually(async () => !invalidationFeed.live)).toBe(true);
      // Dark: a change that notifies nobody is still seen at once, since nothing is cached.
      await elsewhere(`UPDATE "OidcClient" SET "status" = 'suspended' WHERE "id" = $1`, [client.id], {
        withoutTriggers: true,
      });
      expect(await errorOf(tokenRequest(authorization))).toBe("invalid_client");
      expect(await eventually(async () => invalidationFeed.live, 10_000)).toBe(true);
    },
  );
});

describe("access tokens verified once per key set", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("still refuses a token altered by one character, and a verified token once it expires", async () => {
    const { authorization } = await ccClient("Verified tokens");
    const token = String((await tokenRequest(authorization)).access_token);
    await verifyAccessToken(token);
    const [header, payload, signature] = token.split(".");
    const flipped = signature.slice(0, 10) + (signature[10] === "A" ? "B" : "A") + signature.slice(11);
    expect(await errorOf(verifyAccessToken(`${header}.${payload}.${flipped}`))).toBe("invalid_token");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, scope: "tickets:admin" })).toString("base64url");
    expect(await errorOf(verifyAccessToken(`${header}.${forged}.${signature}`))).toBe("invalid_token");
    expect((await verifyAccessToken(token)).scope).toEqual(["tickets:write"]);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + (oidcTtl.accessTokenSeconds + 1) * 1000 });
    expect(await errorOf(verifyAccessToken(token))).toBe("invalid_token");
  });
});
