// Must load before any Next module: it installs the AsyncLocalStorage global that Next's request scope needs.
import "next-test-api-route-handler";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { callRouteMany, rowCounts, sessionCookieFor, type RouteModule } from "../../support/route-harness";
import { seedOrg, seedUser } from "../../support/factories";
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

describe.each(serverActionFiles().map((file) => ({ file: path.relative(root, file), full: file })))(
  "$file",
  { timeout: 120_000 },
  ({ full }) => {
    it("refuses hostile arguments without an uncaught error, and changes nothing", async () => {
      const mod = (await import(/* @vite-ignore */ full)) as Record<string, unknown>;
      const actions = Object.entries(mod).filter(
        (e): e is [string, (...args: unknown[]) => Promise<unknown>] => typeof e[1] === "function",
      );
      const calls = actions.flatMap(([name, action]) =>
        identities.flatMap((identity) =>
          VARIANTS.map((variant) => {
            // A form's action takes (bound values..., previous state, form); one bound to an id takes the id alone.
            const args =
              action.length >= 2
                ? [...Array(action.length - 1).fill(variant.text), variant.form()]
                : Array(action.length).fill(variant.text);
            return { name, action, args, identity, variant };
          }),
        ),
      );
      let current = calls[0];
      const route: RouteModule = {
        POST: async () => Response.json((await current.action(...current.args)) ?? null),
      };
      const failures: string[] = [];
      let last = await rowCounts();
      await callRouteMany(
        route,
        { method: "POST", url: "/action" },
        calls.map((c) => ({ headers: c.identity.headers })),
        async (res, i) => {
          const { name, identity, variant } = calls[i];
          const text = await res.text();
          const where = `${name}, ${identity.name}, ${variant.name}: ${res.status} ${text.slice(0, 160)}`;
          const result = res.status === 200 ? JSON.parse(text) : undefined;
          const refused = res.status >= 400 || isRefusal(result);
          if (res.status >= 500) failures.push(`uncaught ${where}`);
          else if (!refused && variant.malformed) failures.push(`accepted ${where}`);
          const now = await rowCounts();
          if (refused)
            for (const table of Object.keys(now))
              if (now[table] !== last[table]) failures.push(`${table} ${last[table]} → ${now[table]} after ${where}`);
          last = now;
          current = calls[i + 1];
        },
      );
      expect(failures).toEqual([]);
    });
  },
);
