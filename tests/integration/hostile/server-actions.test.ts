// Must load before any Next module: it installs the AsyncLocalStorage global that Next's request scope needs.
import "next-test-api-route-handler";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { callRouteMany, rowCounts, sessionCookieFor, type RouteModule } from "../../support/route-harness";
import { seedOrg, seedUser } from "../../support/factories";
import { seedWrongOwnerWorld, wrongOwnerTargets, type WrongOwnerWorld } from "../../support/wrong-owner";
import { db } from "@/lib/db/client";

/**
 * Every exported function of every "use server" file under app/, called as
 * Next calls a server action (inside a request's scope), signed out and
 * signed in with every role, with hostile arguments: never an uncaught
 * error (Next's 500), a refusal either in the actions' result shape or as
 * Next's 401/403/404, and every table's row count unchanged.
 */
const root = path.resolve(import.meta.dirname, "../../..");

function serverActionFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name) && /^\s*["']use server["']/.test(fs.readFileSync(full, "utf8")))
        out.push(full);
    }
  };
  walk(path.join(root, "app"));
  return out.sort();
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
}

const FIELDS = ["slug", "name", "email", "role", "token", "invitationId", "userId", "clientId", "status", "ttlDays"];
const everyField = (value: string) => form(Object.fromEntries(FIELDS.map((f) => [f, value])));

/** Hostile arguments: a form (the last argument of a form's action) and a text (every other argument). */
const VARIANTS = [
  { name: "NUL bytes", text: "a\u0000b", form: () => everyField("a\u0000b"), malformed: true },
  { name: "lone surrogates", text: "a\ud800b", form: () => everyField("a\ud800b"), malformed: true },
  { name: "overlong text", text: "x".repeat(100_000), form: () => everyField("x".repeat(100_000)), malformed: true },
  { name: "negative and overflowing numbers", text: "-1", form: () => everyField("-99999999999999999999999") },
  { name: "an empty form", text: "", form: () => new FormData() },
];

let identities: { name: string; headers: Record<string, string> }[] = [];

beforeAll(async () => {
  const { user } = await seedUser({ roles: ["ORG_ADMIN", "FINANCE", "MEMBER", "COMMITTER"] });
  const { org } = await seedOrg({ kind: "HOST" });
  await db().membership.create({ data: { orgId: org.id, userId: user.id, role: "HOST_OPERATOR" } });
  identities = [
    { name: "signed out", headers: {} },
    { name: "signed in with every role", headers: { cookie: await sessionCookieFor(user.id) } },
  ];
});

/** Whether an action's answer is a refusal in the actions' shapes (app/action-result.ts, lib/oidc/http/action-result.ts). */
function isRefusal(result: unknown): boolean {
  if (!result || typeof result !== "object") return false;
  const r = result as { ok?: unknown; error?: unknown };
  return r.ok === false || typeof r.error === "string" || (typeof r.error === "object" && r.error !== null);
}

type ActionCall = {
  action: (...args: unknown[]) => Promise<unknown>;
  args: unknown[];
  headers: Record<string, string>;
};

/** Calls each action as Next calls a server action: one request's scope per call, with that call's cookies. */
async function callActions(calls: ActionCall[], onAnswer: (res: Response, i: number) => Promise<void>) {
  let current = calls[0];
  const route: RouteModule = { POST: async () => Response.json((await current.action(...current.args)) ?? null) };
  await callRouteMany(
    route,
    { method: "POST", url: "/action" },
    calls.map((c) => ({ headers: c.headers })),
    async (res, i) => {
      await onAnswer(res, i);
      current = calls[i + 1];
    },
  );
}

function changes(before: Record<string, number>, after: Record<string, number>, where: string): string[] {
  return Object.keys(after)
    .filter((table) => after[table] !== before[table])
    .map((table) => `${table} ${before[table]} → ${after[table]} after ${where}`);
}

async function actionsOf(file: string) {
  const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
  return Object.entries(mod).filter(
    (e): e is [string, (...args: unknown[]) => Promise<unknown>] => typeof e[1] === "function",
  );
}

describe.each(serverActionFiles().map((file) => ({ file: path.relative(root, file), full: file })))(
  "$file",
  { timeout: 120_000 },
  ({ full }) => {
    it("refuses hostile arguments without an uncaught error, and changes nothing", async () => {
      const actions = await actionsOf(full);
      const calls = actions.flatMap(([name, action]) =>
        identities.flatMap((identity) =>
          VARIANTS.map((variant) => {
            // A form's action takes (bound values..., previous state, form); one bound to an id takes the id alone.
            const args =
              action.length >= 2
                ? [...Array(action.length - 1).fill(variant.text), variant.form()]
                : Array(action.length).fill(variant.text);
            return { name, action, args, headers: identity.headers, identity, variant };
          }),
        ),
      );
      const failures: string[] = [];
      let last = await rowCounts();
      await callActions(calls, async (res, i) => {
        const { name, identity, variant } = calls[i];
        const text = await res.text();
        const where = `${name}, ${identity.name}, ${variant.name}: ${res.status} ${text.slice(0, 160)}`;
        const result = res.status === 200 ? JSON.parse(text) : undefined;
        const refused = res.status >= 400 || isRefusal(result);
        if (res.status >= 500) failures.push(`uncaught ${where}`);
        else if (!refused && variant.malformed) failures.push(`accepted ${where}`);
        const now = await rowCounts();
        if (refused) failures.push(...changes(last, now, where));
        last = now;
      });
      expect(failures).toEqual([]);
    });
  },
);

/**
 * The wrong owner: the operator of host B, with every role a tenant's manager
 * holds, calls each action once with a well-formed request that names host
 * A's real rows. Each must be refused for whose the rows are (not for its
 * input, not with an uncaught error), with every row count and A's rows
 * unchanged. The actions left out act only on the caller's own account or
 * make something new for them, so there is no other owner to be.
 */
const OWN_ACCOUNT_ONLY = new Set(["createOrganizationAction", "deleteAccountAction", "startFundingAction"]);
// A void action's refusal is Next's 403 or 404; the OIDC client actions' is a message (lib/oidc/http/action-result.ts).
const OWNER_REFUSALS = new Set(["FORBIDDEN", "NOT_FOUND"]);

describe("as the right role of another tenant, with the first tenant's ids", { timeout: 120_000 }, () => {
  let world: WrongOwnerWorld;
  let headers: Record<string, string>;
  beforeAll(async () => {
    world = await seedWrongOwnerWorld();
    headers = { cookie: await sessionCookieFor(world.otherOperator.id) };
  });

  function formNamingA(): FormData {
    const lastMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 1));
    const data = form({
      slug: world.host.slug,
      orgId: world.host.id,
      userId: world.member.id,
      invitationId: world.invitation.id,
      token: world.invitationToken,
      email: `wrong-owner-${world.otherOperator.id.slice(-6).toLowerCase()}@example.test`,
      name: "Renamed by the wrong owner",
      clientId: world.client.id,
      subscriptionId: world.subscription.id,
      deliveryId: world.delivery.id,
      url: "https://b.example.test/hooks",
      reason: "The wrong owner tries this on purpose",
      fundingId: world.funding.id,
      card: "4242424242424242",
      hostSlug: world.host.slug,
      releaseLineId: world.releaseLine.id,
      monthlyCost: "10.00",
      currency: "EUR",
      period: lastMonth.toISOString().slice(0, 7),
      units: "10",
      country: "DE",
      applicationType: "web",
      redirectUris: "https://b.example.test/callback",
      scopes: "openid",
      tokenEndpointAuthMethod: "client_secret_basic",
      subjectType: "public",
      // Payout batches are the org's, not a tenant's: the finance role is what these refuse for.
      batchId: "pob_wrong_owner",
      itemId: "poi_wrong_owner",
    });
    data.append("eventTypes", "host.removed");
    return data;
  }

  /** An action's values bound before the form (the page binds them from its URL), naming A's rows. */
  function boundValues(name: string, arity: number): unknown[] {
    const bound: Record<string, unknown[]> = {
      registerClientAction: [world.host.slug],
      rotateSecretAction: [world.host.slug, world.client.id],
      revokeGrantAction: [world.grant.id],
    };
    return bound[name] ?? Array(Math.max(0, arity - 2)).fill(world.host.id);
  }

  it("refuses every action that names another tenant's rows, and changes nothing", async () => {
    const actions = (await Promise.all(serverActionFiles().map(actionsOf)))
      .flat()
      .filter(([name]) => !OWN_ACCOUNT_ONLY.has(name));
    const calls = actions.map(([name, action]) => ({
      name,
      action,
      args: action.length >= 2 ? [...boundValues(name, action.length), null, formNamingA()] : boundValues(name, 1),
      headers,
    }));
    const failures: string[] = [];
    const [targets, before] = [await wrongOwnerTargets(world), await rowCounts()];
    await callActions(calls, async (res, i) => {
      const text = await res.text();
      const where = `${calls[i].name}: ${res.status} ${text.slice(0, 200)}`;
      const result = res.status === 200 ? JSON.parse(text) : undefined;
      const code = (result as { error?: { code?: string } } | undefined)?.error?.code;
      if (res.status >= 500) failures.push(`uncaught ${where}`);
      else if (res.status < 400 && !isRefusal(result)) failures.push(`accepted ${where}`);
      // Refused for anything but whose the rows are (its input, their state), the call proved nothing.
      else if (code !== undefined && !OWNER_REFUSALS.has(code)) failures.push(`refused as ${code}: ${where}`);
    });
    // Refused requests only ever add rows (an audit event, a token), so one count around the run sees any of them.
    failures.push(...changes(before, await rowCounts(), "the wrong owner's calls"));
    expect(failures).toEqual([]);
    expect(await wrongOwnerTargets(world)).toEqual(targets);
  });
});
