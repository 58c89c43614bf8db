import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";
import { createDatabase, dropDatabase, throwawayName } from "../support/postgres-admin";
import { root, startStandalone, waitForStatus, type StartedServer } from "../deploy/support/standalone-server";
import { seedPasskeyUser, useClusterDatabase } from "../deploy/support/world";
import { PortalClient } from "../deploy/support/portal-client";
import { signPing } from "@/examples/federated-host/peer-ping";
import { defined } from "../support/defined";

/**
 * `npm run test:federation`: the portal (the built standalone server) as the
 * trust anchor, and four federated hosts (examples/federated-host), each its
 * own process on loopback. Three are admitted by vote and open once they see
 * each other; a fourth, never admitted, is refused by all and stays closed. A
 * user signs in at a host through automatic registration; a theater is
 * accepted while its licensed-theater trust mark is active. Then a vote
 * removes one host: the other two stop trusting it within one configuration
 * refresh, and it closes itself.
 */
const PORTAL_PORT = 4661;
const HOST_PORTS = { a: 4662, b: 4663, c: 4664, d: 4665 };
const REFRESH_MS = 1000;

type Host = {
  name: string;
  entityId: string;
  privateJwk: JWK;
  publicJwk: JWK;
  key: CryptoKey;
  child?: ChildProcess;
  output: string;
  exited?: Promise<number | null>;
};

let dbName: string;
let portal: StartedServer;
let closeDb: (() => Promise<void>) | undefined;
let tmp: string;
const hosts: Record<keyof typeof HOST_PORTS, Host> = {} as never;

async function makeHost(name: keyof typeof HOST_PORTS): Promise<Host> {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  const kid = `host-${name}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" };
  return {
    name,
    entityId: `http://127.0.0.1:${HOST_PORTS[name]}`,
    privateJwk: { ...(await exportJWK(privateKey)), kid },
    publicJwk,
    key: privateKey as CryptoKey,
    output: "",
  };
}

function startHost(host: Host, trust: string[]) {
  const keyFile = path.join(tmp, `${host.name}.jwk.json`);
  fs.writeFileSync(keyFile, JSON.stringify(host.privateJwk), { mode: 0o600 });
  const child = spawn(
    process.execPath,
    [
      path.join(root, "node_modules/tsx/dist/cli.mjs"),
      path.join(root, "examples/federated-host/main.ts"),
      "--entity-id",
      host.entityId,
      "--key",
      keyFile,
      "--refresh-ms",
      String(REFRESH_MS),
      ...trust,
    ],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env.PATH ?? "", NODE_ENV: "production" } },
  );
  defined(child.stdout).on("data", (d: Buffer) => (host.output += d.toString()));
  defined(child.stderr).on("data", (d: Buffer) => (host.output += d.toString()));
  host.child = child;
  host.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

type Status = { open: boolean; admitted: boolean; version: number | null; peers: Record<string, string> };
async function status(host: Host): Promise<Status> {
  return (await fetch(`${host.entityId}/status`, { signal: AbortSignal.timeout(5000) })).json() as Promise<Status>;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const outputs = Object.values(hosts)
    .map((h) => `--- ${h.name}\n${h.output.slice(-3000)}`)
    .join("\n");
  throw new Error(`${what}: not within ${timeoutMs} ms (last: ${String(last)})\n${outputs}`);
}

async function pingFrom(signer: Host, asEntity: string, to: Host) {
  const jwt = await signPing({ from: asEntity, to: to.entityId, key: signer.key, kid: String(signer.publicJwk.kid) });
  const res = await fetch(`${to.entityId}/federation-peer/ping`, { method: "POST", body: jwt });
  return { status: res.status, body: (await res.json()) as { code?: string } };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gh-fed-"));
  dbName = throwawayName("gh_fed");
  const databaseUrl = await createDatabase(dbName);
  portal = startStandalone(PORTAL_PORT, { DATABASE_URL: databaseUrl, LOG_LEVEL: "warn" });
  await waitForStatus(`${portal.url}/api/health/ready`, 200, 180_000, portal);
  ({ closeDb } = await useClusterDatabase(databaseUrl, `http://localhost:${PORTAL_PORT}`));
  process.env.GUILDHALL_TEST_CLOCK = "1";
  (await import("@/lib/config/env")).resetEnvForTests();
  const { installComposition } = await import("@/lib/composition/composition");
  const { portalComposition } = await import("@/lib/composition/portal-composition");
  installComposition(portalComposition);
  for (const name of ["a", "b", "c", "d"] as const) hosts[name] = await makeHost(name);
});

afterAll(async () => {
  for (const h of Object.values(hosts)) if (h.child && h.child.exitCode === null) h.child.kill("SIGTERM");
  portal?.child.kill("SIGTERM");
  await portal?.exited;
  await closeDb?.();
  if (dbName) await dropDatabase(dbName);
});

it("three admitted hosts open on a quorum, a stranger is refused, users sign in, a removed host is dropped and closes", async () => {
  const { seedOrg } = await import("@/tests/support/factories");
  const { seedVoter } = await import("@/tests/integration/governance/helpers");
  const { passProposal } = await import("@/tests/integration/federation/helpers");
  const { buildDnsZone } = await import("@/lib/governance/federation/build-dns-zone");
  const { getPublicJwks } = await import("@/lib/keys/get-public-jwks");
  const { seedActiveLicense } = await import("@/tests/integration/licensing/helpers");
  const { suspendLicense } = await import("@/lib/licensing/suspend-license");

  const voters = [await seedVoter(), await seedVoter(), await seedVoter()];
  const orgs: Record<string, string> = {};
  for (const name of ["a", "b", "c"] as const) {
    const { org } = await seedOrg({ kind: "HOST" });
    orgs[name] = org.id;
    const h = hosts[name];
    await passProposal(voters, {
      kind: "host_admission",
      title: `Admit host ${name}`,
      content: {
        hostOrgId: org.id,
        reason: "Runs the service",
        federation: {
          entityId: h.entityId,
          endpoints: [{ name: "api", url: `${h.entityId}/api` }],
          jwks: { keys: [h.publicJwk] },
          jurisdiction: "DE",
          provider: "loopback",
          redirectUris: [`${h.entityId}/cb`],
        },
      },
    });
  }
  // Hosts a and b and the stranger boot from the DNS records; c from the anchor's pinned key thumbprint.
  const zone = path.join(tmp, "zone.txt");
  fs.writeFileSync(zone, (await buildDnsZone({ domain: "guildhall.test" })).zone);
  const [anchorKey] = (await getPublicJwks(["federation"])).keys;
  const pinned = [
    "--anchor",
    `http://localhost:${PORTAL_PORT}`,
    "--anchor-jkt",
    await calculateJwkThumbprint(anchorKey),
  ];
  startHost(hosts.a, ["--dns-zone", zone]);
  startHost(hosts.b, ["--dns-zone", zone]);
  startHost(hosts.c, pinned);
  startHost(hosts.d, ["--dns-zone", zone]);

  for (const name of ["a", "b", "c"] as const)
    await until(`host ${name} open`, async () => (await status(hosts[name])).open);
  // A host's view of its peers is as of its last refresh, which may have run while a peer was still starting: the
  // view converges on the next refreshes once all three have their configuration.
  const a = await until("host a trusts b and c", async () => {
    const seen = await status(hosts.a);
    return seen.peers[hosts.b.entityId] === "trusted" && seen.peers[hosts.c.entityId] === "trusted" && seen;
  });
  expect(a).toMatchObject({ admitted: true, peers: { [hosts.b.entityId]: "trusted", [hosts.c.entityId]: "trusted" } });
  expect((await fetch(`${hosts.a.entityId}/api/hello`)).status).toBe(200);

  // The stranger: never admitted, closed, and refused by every admitted host; a host key that is not the admitted one too.
  await until("the stranger sees the configuration", async () => (await status(hosts.d)).version !== null);
  expect(await status(hosts.d)).toMatchObject({ open: false, admitted: false });
  expect((await fetch(`${hosts.d.entityId}/api/hello`)).status).toBe(503);
  for (const name of ["a", "b", "c"] as const) {
    expect(await pingFrom(hosts.d, hosts.d.entityId, hosts[name])).toEqual({
      status: 403,
      body: { code: "NOT_ADMITTED" },
    });
    expect(await pingFrom(hosts.d, hosts.b.entityId, hosts[name === "b" ? "a" : name])).toEqual({
      status: 403,
      body: { code: "BAD_SIGNATURE" },
    });
  }

  // A user signs in at host a through automatic registration: no client was registered by hand.
  const { user, authenticator } = await seedPasskeyUser(`fed-${Date.now()}@example.test`);
  const browser = new PortalClient(`http://localhost:${PORTAL_PORT}`);
  expect((await browser.signInWithPasskey(authenticator)).status).toBeLessThan(400);
  const login = await fetch(`${hosts.a.entityId}/login`, { redirect: "manual" });
  expect(login.status).toBe(303);
  let next = new URL(login.headers.get("location") ?? "");
  let answer = await browser.request(`${next.pathname}${next.search}`);
  for (let hop = 0; hop < 5 && !answer.headers.get("location")?.startsWith(hosts.a.entityId); hop++) {
    expect(answer.status, await answer.clone().text()).toBe(303);
    next = new URL(answer.headers.get("location") ?? "", portal.url);
    const consent = next.pathname.match(/^\/oidc\/interaction\/([^/]+)$/);
    answer = consent
      ? await browser.request(`/oidc/interaction/${consent[1]}/decision`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ action: "allow" }),
        })
      : await browser.request(`${next.pathname}${next.search}`);
  }
  const callback = await fetch(answer.headers.get("location") ?? "");
  const signedIn = (await callback.json()) as { sub: string; email: string };
  expect(callback.status, JSON.stringify(signedIn)).toBe(200);
  expect(signedIn.email).toBe(user.email);

  // A theater is accepted while its licensed-theater trust mark is active, and refused once the license is suspended.
  const { license, org: theater } = await seedActiveLicense();
  const markRes = await fetch(
    `${portal.url}/federation/trust-mark?${new URLSearchParams({
      trust_mark_type: `http://localhost:${PORTAL_PORT}/trust-marks/licensed-theater`,
      sub: `http://localhost:${PORTAL_PORT}/federation/theaters/${theater.id}`,
      license_id: license.id,
    })}`,
  );
  const mark = await markRes.text();
  expect(markRes.status, mark).toBe(200);
  // Host a's operator (the signed-in user) subscribes to license events; the suspension below reaches its receiver.
  const { createWebhookSubscription } = await import("@/lib/webhook-subscriptions/create-webhook-subscription");
  const { getUserAccess } = await import("@/lib/access/user-access");
  const { db } = await import("@/lib/db/client");
  await db().membership.create({ data: { orgId: orgs.a, userId: user.id, role: "HOST_OPERATOR" } });
  const hooks: string[] = [];
  const receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      hooks.push(body);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const hostA = await db().organization.findUniqueOrThrow({ where: { id: orgs.a } });
  await createWebhookSubscription({
    slug: hostA.slug,
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
    eventTypes: ["license.suspended"],
    actor: { type: "user", id: user.id, access: await getUserAccess(user.id) },
  });
  const present = () =>
    fetch(`${hosts.b.entityId}/theater/session`, { method: "POST", headers: { "guildhall-trust-mark": mark } });
  expect((await present()).status).toBe(200);
  await suspendLicense({ licenseId: license.id, reason: "Chargeback", actor: { type: "system", id: "test" } });
  await until("the suspended theater refused", async () => (await present()).status === 403, REFRESH_MS * 3);
  expect(await (await present()).json()).toEqual({ ok: false, code: "NOT_ACTIVE" });
  // The portal's own outbox delivered the event; the operator's webhooks page shows it, with its attempt and re-send.
  await until("the webhook delivered", async () => hooks.some((h) => JSON.parse(h).type === "license.suspended"));
  receiver.close();
  const page = await browser.request(`/orgs/${hostA.slug}/webhooks`);
  const html = await page.text();
  expect(page.status).toBe(200);
  expect(html).toContain("license.suspended");
  expect(html).toContain("Re-send");
  expect(html).toMatch(/delivered/);

  // A vote removes host c: a and b stop trusting it within one refresh, and it closes itself.
  await passProposal(voters, {
    kind: "host_removal",
    title: "Remove host c",
    content: { hostOrgId: orgs.c, reason: "Left the federation" },
  });
  const removedAt = Date.now();
  for (const name of ["a", "b"] as const)
    await until(
      `host ${name} drops c`,
      async () => !((await status(hosts[name])).peers[hosts.c.entityId] ?? false),
      REFRESH_MS * 2 + 1000,
    );
  const dropped = Date.now() - removedAt;
  expect(dropped).toBeLessThanOrEqual(REFRESH_MS * 2 + 1000);
  expect(await pingFrom(hosts.c, hosts.c.entityId, hosts.a)).toEqual({ status: 403, body: { code: "NOT_ADMITTED" } });
  expect(await Promise.race([hosts.c.exited, new Promise((r) => setTimeout(() => r("running"), 10_000))])).toBe(0);
  expect(hosts.c.output).toContain("removed from the federation: closing");
  // Two of two admitted hosts remain: still a quorum.
  for (const name of ["a", "b"] as const) expect((await status(hosts[name])).open).toBe(true);
});
