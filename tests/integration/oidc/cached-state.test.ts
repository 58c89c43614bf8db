import { afterEach, describe, expect, it, vi } from "vitest";
import pg from "pg";
import { decodeJwt } from "jose";
import { env } from "@/lib/config/env";
import { awaitNotificationsDelivered, invalidationFeed } from "@/lib/db/invalidation-feed";
import { createClientFromCli } from "@/lib/oidc/clients/create-client-from-cli";
import { handleTokenRequest } from "@/lib/oidc/tokens/handle-token-request";
import { verifyAccessToken } from "@/lib/oidc/verify-access-token";
import { oidcTtl } from "@/lib/oidc/config";
import type { OAuthError } from "@/lib/oidc/errors";
import { db } from "@/lib/db/client";
import { issueTrustMark, theaterSubject } from "@/lib/federation/trust-marks";
import { trustMarkTypes } from "@/lib/federation/federation-constants";
import { POST as trustMarkStatusEndpoint } from "@/app/federation/trust-mark-status/route";
import { seedOrg } from "@/tests/support/factories";
import { postToTrustMarkStatusLane } from "@/tests/integration/federation/helpers";
import { seedActiveLicense } from "@/tests/integration/licensing/helpers";
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

/** The status the anchor's signed status response gives a trust mark, through the fast lane (its fast path) and Next. */
async function trustMarkStatusOf(trustMark: string) {
  const lane = await postToTrustMarkStatusLane(`trust_mark=${trustMark}`);
  expect(lane.status).toBe(200);
  const res = await trustMarkStatusEndpoint(
    new Request("http://localhost/federation/trust-mark-status", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ trust_mark: trustMark }),
    }),
    { params: Promise.resolve({}) },
  );
  expect(res.status).toBe(200);
  const { status } = decodeJwt(await res.text());
  expect(decodeJwt(lane.text).status).toBe(status);
  return status;
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
    "reports a host's and a theater's trust marks revoked once their removal or revocation elsewhere is notified",
    async () => {
      const { org: host } = await seedOrg({ kind: "HOST" });
      const entityId = `https://${host.slug}.hosts.example`;
      await db().federationHost.create({
        data: {
          hostOrgId: host.id,
          entityId,
          endpoints: [],
          jwks: { keys: [] },
          jurisdiction: "NL",
          provider: "self",
          admittedAt: new Date(),
          admissionProposalId: "prop_cached_state",
        },
      });
      const { license, org: theater } = await seedActiveLicense();
      const types = trustMarkTypes();
      const hostMark = await issueTrustMark(
        new URLSearchParams({ trust_mark_type: types.admittedHost, sub: entityId }),
      );
      const theaterMark = await issueTrustMark(
        new URLSearchParams({
          trust_mark_type: types.licensedTheater,
          sub: theaterSubject(theater.id),
          license_id: license.id,
        }),
      );
      // The rows' creation and the anchor's first federation key notify too; once those have arrived, answers stay cached.
      await awaitNotificationsDelivered();
      expect(await trustMarkStatusOf(hostMark)).toBe("active");
      expect(await trustMarkStatusOf(theaterMark)).toBe("active");
      // Changed without a notification: the cached standing still answers, so the cache is in use.
      const removeHost = `UPDATE "FederationHost" SET "removedAt" = now() WHERE "hostOrgId" = $1`;
      const revokeLicense = `UPDATE "License" SET "status" = 'REVOKED' WHERE "id" = $1`;
      await elsewhere(removeHost, [host.id], { withoutTriggers: true });
      await elsewhere(revokeLicense, [license.id], { withoutTriggers: true });
      expect(await trustMarkStatusOf(hostMark)).toBe("active");
      expect(await trustMarkStatusOf(theaterMark)).toBe("active");
      // The same changes with their triggers: revoked in every process once the notification is in.
      await elsewhere(removeHost, [host.id]);
      await elsewhere(revokeLicense, [license.id]);
      await awaitNotificationsDelivered();
      expect(await trustMarkStatusOf(hostMark)).toBe("revoked");
      expect(await trustMarkStatusOf(theaterMark)).toBe("revoked");
    },
  );

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
