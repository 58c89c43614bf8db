import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, dropDatabase, throwawayName } from "../support/postgres-admin";
import { startCluster, type Cluster } from "./support/cluster";
import { kidOf, PortalClient, requestToken } from "./support/portal-client";
import { startSmtpCatcher } from "../support/smtp-catcher";
import { standaloneDir, testSecrets } from "./support/standalone-server";
import { seedApiClient, seedPasskeyUser, useClusterDatabase } from "./support/world";
import { defined } from "../support/defined";

/**
 * Two standalone instances behind HAProxy on one PostgreSQL database behave
 * as one: a session made on one is honoured and ended on the other, rate
 * limits count across both, each queued mail is delivered once although both
 * run the outbox, a change made elsewhere drops both instances' caches, and a
 * key rotated by the CLI signs on both. HAProxy alternates (roundrobin), and
 * each check asserts that both instances took part.
 */
const BALANCER_PORT = 4530;
const INSTANCE_PORTS = [4531, 4532];
const SMTP_PORT = 4535;
let dbName: string;
let dbUrl: string;
let cluster: Cluster;
let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
let closeDb: () => Promise<void>;

const until = async (what: string, check: () => Promise<boolean>, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

beforeAll(async () => {
  dbName = throwawayName("gh_two");
  dbUrl = await createDatabase(dbName);
  smtp = await startSmtpCatcher(SMTP_PORT);
  cluster = await startCluster({
    databaseUrl: dbUrl,
    balancerPort: BALANCER_PORT,
    instancePorts: INSTANCE_PORTS,
    env: { SMTP_URL: smtp.url },
  });
  ({ closeDb } = await useClusterDatabase(dbUrl, cluster.url));
});

afterAll(async () => {
  await closeDb?.();
  await cluster?.stop();
  await smtp?.stop();
  await dropDatabase(dbName);
});

describe("two instances behind HAProxy on one database", () => {
  it("honour a session made through either, and end it everywhere", async () => {
    const { authenticator } = await seedPasskeyUser("two-sessions@example.test");
    const browser = new PortalClient(cluster.url);
    const signIn = await browser.signInWithPasskey(authenticator);
    expect(signIn.status).toBe(200);
    const seen = new Map<string, string | undefined>();
    for (let i = 0; i < 4; i++) {
      const s = await browser.session();
      seen.set(defined(s.instance), s.email);
    }
    expect([...seen.keys()].sort()).toEqual(["portal1", "portal2"]);
    expect([...seen.values()]).toEqual(["two-sessions@example.test", "two-sessions@example.test"]);
    expect((await browser.signOut()).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await browser.session()).email).toBeUndefined();
  });

  it("count a rate limit across both instances, and deliver each mail once though both run the outbox", async () => {
    await seedPasskeyUser("two-codes@example.test");
    const served = new Set<string>();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${cluster.url}/api/auth/email-code`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "two-codes@example.test" }),
      });
      statuses.push(res.status);
      served.add(defined(res.headers.get("x-guildhall-instance")));
    }
    expect(served.size).toBe(2);
    // Five mails an address per 15 minutes (lib/rate-limit), the sign-up's verification mail among them:
    // four codes, then refusals. An instance counting alone would have let all six through.
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    const codesMailed = () =>
      smtp.messages.filter((m) => m.to.includes("two-codes@example.test") && /sign-in code/i.test(m.raw));
    await until("four sign-in codes delivered", async () => codesMailed().length >= 4, 30_000);
    await new Promise((r) => setTimeout(r, 4500)); // two more outbox rounds on each instance
    expect(codesMailed()).toHaveLength(4);
  });

  it("drop both instances' cached client when another process suspends it, and serve it again when reinstated", async () => {
    const client = await seedApiClient("two-cache");
    const tokens = async () => {
      const answers = await Promise.all([0, 1, 2, 3].map(() => requestToken(cluster.url, client)));
      return {
        statuses: answers.map((a) => a.status),
        instances: new Set(answers.map((a) => a.headers.get("x-guildhall-instance"))),
      };
    };
    const warm = await tokens();
    expect(warm.statuses).toEqual([200, 200, 200, 200]);
    expect(warm.instances.size).toBe(2);
    const { db } = await import("@/lib/db/client");
    const { setClientStatus } = await import("@/lib/oidc/clients/set-client-status");
    await db().$transaction((tx) =>
      setClientStatus(tx, { clientId: client.id, status: "suspended", actor: { type: "system", id: "test" } }),
    );
    // The triggers' notification reaches both instances' invalidation feeds within moments.
    await until(
      "both instances refuse the suspended client",
      async () => (await tokens()).statuses.every((s) => s === 401),
      3000,
    );
    await db().$transaction((tx) =>
      setClientStatus(tx, { clientId: client.id, status: "approved", actor: { type: "system", id: "test" } }),
    );
    await until(
      "both instances serve the reinstated client",
      async () => (await tokens()).statuses.every((s) => s === 200),
      3000,
    );
  });

  it("sign with the key the CLI rotated, on both instances, and publish it on both", async () => {
    const client = await seedApiClient("two-keys");
    const kidNow = async () =>
      kidOf(((await (await requestToken(cluster.url, client)).json()) as { access_token: string }).access_token);
    const before = await kidNow();
    const cli = spawnSync(process.execPath, ["cli.mjs", "keys", "rotate", "--json"], {
      cwd: standaloneDir,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        DATABASE_URL: dbUrl,
        PUBLIC_URL: cluster.url,
        PAYMENTS_PROVIDER: "simulated",
        LOG_LEVEL: "warn",
        ...testSecrets,
      },
      encoding: "utf8",
    });
    expect(cli.status, cli.stderr).toBe(0);
    const rotated = (JSON.parse(cli.stdout) as { rotated: { kid: string; alg: string }[] }).rotated;
    const kids = new Set(rotated.map((k) => k.kid));
    expect(kids.has(before)).toBe(false);
    await until(
      "every token is signed by a rotated key",
      async () => (await Promise.all([0, 1, 2, 3].map(kidNow))).every((kid) => kids.has(kid)),
      3000,
    );
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${cluster.url}/oidc/jwks`);
      const published = ((await res.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
      expect(published, `JWKS of ${res.headers.get("x-guildhall-instance")}`).toEqual(
        expect.arrayContaining([before, ...kids]),
      );
    }
  });
});
