// Must load before any Next module: it installs the AsyncLocalStorage global that Next's request scope needs.
import "next-test-api-route-handler";
import { beforeAll, describe, expect, it } from "vitest";
import { callRouteMany, rowCounts, sessionCookieFor, type RouteModule } from "../../support/route-harness";
import {
  bodyVariants,
  listRouteFiles,
  METHODS,
  MUTATING,
  readsBody,
  urlVariants,
  type HostileVariant,
  type RouteFile,
} from "../../support/hostile-requests";
import { seedOrg, seedUser } from "../../support/factories";
import { makeCsr, setupCa } from "../licensing/helpers";
import { getLicenseSigningKey } from "@/lib/licensing/get-license-signing-key";
import { seedWrongOwnerWorld, wrongOwnerTargets, type WrongOwnerWorld } from "../../support/wrong-owner";
import { db } from "@/lib/db/client";

/**
 * Every route file, every method it exports, every hostile request of
 * tests/support/hostile-requests.ts, signed out and signed in as a user with
 * every global role and a membership of a theater and a host (so a request
 * gets past permission checks to the parsing behind them): never a 5xx; a
 * refusal in its endpoint's error shape; every table's row count unchanged.
 */
const ORIGIN = "http://localhost:3999";
// A configured webhook, so its route answers on the request (unconfigured, it is a 503 whatever comes).
process.env.STRIPE_WEBHOOK_SECRET ??= "whsec_hostile_suite";
process.env.STRIPE_CONNECT_WEBHOOK_SECRET ??= "whsec_hostile_suite_connect";

// The OIDC endpoints that answer a browser show their refusals as pages (lib/oidc/authorize, lib/oidc/logout).
const HTML_ANSWERS = new Set(["/oidc/authorize", "/oidc/authorize/resume", "/oidc/end-session"]);
// Counters a refused request still moves: a wrong sign-in attempt counts against its address and account.
const MAY_CHANGE = new Set(["RateLimitCounter"]);

type Identity = { name: string; headers: Record<string, string>; variants: (v: HostileVariant) => boolean };
let identities: Identity[] = [];
let paramValues: Record<string, string> = {};

beforeAll(async () => {
  const { user } = await seedUser({ roles: ["ORG_ADMIN", "FINANCE", "MEMBER", "COMMITTER"] });
  const { org: theater } = await seedOrg({ kind: "THEATER" });
  const { org: host } = await seedOrg({ kind: "HOST" });
  await db().membership.create({ data: { orgId: theater.id, userId: user.id, role: "THEATER_ADMIN" } });
  await db().membership.create({ data: { orgId: host.id, userId: user.id, role: "HOST_OPERATOR" } });
  const signedOutBodies = new Set(bodyVariants.slice(0, 2));
  identities = [
    { name: "signed out", headers: { origin: ORIGIN }, variants: (v) => !v.body || signedOutBodies.has(v) },
    {
      name: "signed in with every role",
      headers: { origin: ORIGIN, cookie: await sessionCookieFor(user.id) },
      variants: () => true,
    },
  ];
  paramValues = { orgId: theater.id, slug: theater.slug };
});

/** The error code of a refusal in its endpoint's shape (API, OAuth, an OIDC page, Next's bodiless 4xx), or undefined. */
function errorShapeOf(path: string, type: string, text: string): string | undefined {
  if (type.includes("json")) {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body.error === "string") return body.error; // OAuth (RFC 6749 §5.2)
    const api = body.error as { code?: unknown; message?: unknown } | undefined;
    return typeof api?.code === "string" && typeof api.message === "string" ? api.code : undefined;
  }
  if (HTML_ANSWERS.has(path) && type.includes("text/html")) return "page";
  // unauthorized() / forbidden() / notFound(), and a method the route does not export.
  return text === "" ? "empty" : undefined;
}

type Sent = { method: string; identity: Identity; variant: HostileVariant };

/**
 * Sends every hostile request to one route, through one scope, and lists what
 * went wrong. With `countEach`, row counts are compared around each request;
 * otherwise around the whole run (cheaper: refused requests only ever add).
 */
async function attack(route: RouteFile, mod: RouteModule, countEach: boolean) {
  const methods = METHODS.filter((m) => typeof mod[m] === "function");
  const params = Object.fromEntries(
    route.paramNames.map(({ name, catchAll }) => [name, catchAll ? ["hostile", "x_1"] : (paramValues[name] ?? "x_1")]),
  );
  const failures: string[] = [];
  let accepted = 0;
  const before = await rowCounts();
  let last = before;
  const variants = [...urlVariants, ...bodyVariants].filter((v) => !(v.params && route.paramNames.length === 0));
  const sent: Sent[] = [];
  for (const identity of identities)
    for (const method of methods)
      for (const variant of variants)
        if (identity.variants(variant) && (!variant.body || MUTATING.has(method)))
          sent.push({ method, identity, variant });
  await callRouteMany(
    mod,
    { url: route.path, params },
    sent.map(({ method, identity, variant }) => ({
      method,
      url: `${route.path}${variant.query ? `?${variant.query}` : ""}`,
      params: variant.params ? variant.params(params) : params,
      headers: { ...identity.headers, ...(variant.contentType ? { "content-type": variant.contentType } : {}) },
      body: variant.body,
    })),
    async (res, i) => {
      const { method, identity, variant } = sent[i];
      const text = await res.text();
      const where = `${identity.name}, ${method}, ${variant.name}: ${res.status} ${text.slice(0, 160)}`;
      const refused = res.status >= 400;
      if (res.status >= 500) failures.push(`5xx ${where}`);
      else if (
        !refused &&
        MUTATING.has(method) &&
        (variant.query || variant.params || (variant.malformed && readsBody(route)))
      )
        failures.push(`accepted ${where}`);
      else if (refused && !errorShapeOf(route.path, res.headers.get("content-type") ?? "", text))
        failures.push(`shapeless ${where}`);
      if (!refused) accepted++;
      if (countEach) {
        const now = await rowCounts();
        if (refused) failures.push(...changes(last, now, where));
        last = now;
      }
    },
  );
  if (!countEach) failures.push(...changes(before, await rowCounts(), "the run"));
  return { failures, accepted };
}

function changes(before: Record<string, number>, after: Record<string, number>, where: string): string[] {
  return Object.keys(after)
    .filter((table) => !MAY_CHANGE.has(table) && after[table] !== before[table])
    .map((table) => `${table} ${before[table]} → ${after[table]} after ${where}`);
}

// A route's run is a few dozen requests (and its first import); the project's 30 s is for one scenario.
describe.each(listRouteFiles())("$path", { timeout: 120_000 }, (route) => {
  it("refuses every hostile request with a 4xx in its error shape, and changes nothing", async () => {
    const mod = (await import(/* @vite-ignore */ route.file)) as RouteModule;
    let { failures, accepted } = await attack(route, mod, false);
    // A route that accepted some requests (it reads no body) may have written for them: count around each.
    if (accepted > 0 && failures.some((f) => f.includes("after the run")))
      ({ failures } = await attack(route, mod, true));
    expect(failures).toEqual([]);
  });
});

/**
 * The wrong owner: the operator of host B (also admin of theater B) sends each
 * state-changing request of every route whose path names a tenant's row, with
 * host and theater A's real ids in the path. Each must be refused as not
 * theirs (401, 403 or 404; a 400 would mean the body was refused before the
 * owner was checked) with every row count and A's rows unchanged.
 */
describe("as the right role of another tenant, with the first tenant's ids", { timeout: 120_000 }, () => {
  let world: WrongOwnerWorld;
  let headers: Record<string, string>;
  let ids: Record<string, string>;
  // A well-formed body for every route here (each reads the fields it knows), so a refusal is for whose the rows are.
  let body: string;
  beforeAll(async () => {
    world = await seedWrongOwnerWorld();
    headers = { origin: ORIGIN, cookie: await sessionCookieFor(world.otherOperator.id) };
    ids = {
      slug: world.host.slug,
      orgId: world.theater.id,
      licenseId: world.license.id,
      tokenId: world.apiToken.id,
      passkeyId: world.passkey.id,
      sessionId: world.session.id,
    };
    // As in production, the org CA and the license signing key exist before anyone asks for a certificate.
    await setupCa();
    await getLicenseSigningKey();
    body = JSON.stringify({ name: "The wrong owner's", csr: (await makeCsr()).csrPem });
  });

  it("refuses every request that names another tenant's rows, and changes nothing", async () => {
    const failures: string[] = [];
    const targets = await wrongOwnerTargets(world);
    let last = await rowCounts();
    for (const route of listRouteFiles()) {
      if (route.paramNames.length === 0 || !route.paramNames.every((p) => p.name in ids)) continue;
      const mod = (await import(/* @vite-ignore */ route.file)) as RouteModule;
      const params = Object.fromEntries(route.paramNames.map((p) => [p.name, ids[p.name]]));
      const methods = METHODS.filter((m) => MUTATING.has(m) && typeof mod[m] === "function");
      if (methods.length === 0) continue;
      await callRouteMany(
        mod,
        { url: route.path, params },
        methods.map((method) => ({
          method,
          url: route.path,
          params,
          headers: { ...headers, "content-type": "application/json" },
          body,
        })),
        async (res, i) => {
          const text = await res.text();
          if (![401, 403, 404].includes(res.status))
            failures.push(`${methods[i]} ${route.path}: ${res.status} ${text.slice(0, 200)}`);
        },
      );
      const now = await rowCounts();
      failures.push(...changes(last, now, route.path));
      last = now;
    }
    expect(failures).toEqual([]);
    expect(await wrongOwnerTargets(world)).toEqual(targets);
  });
});
