import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";

/**
 * The hostile requests of tests/integration/hostile: generated from the
 * route files themselves (app/**\/route.ts) and from what every route reads
 * (a query, path segments, a JSON or form body), never listed one by one, so
 * a new route is covered the day it is added.
 */

const root = path.resolve(import.meta.dirname, "../..");

export type RouteFile = { file: string; path: string; paramNames: { name: string; catchAll: boolean }[] };

/** Every app/**\/route.ts, with its URL path and the names of its dynamic segments. */
export function listRouteFiles(): RouteFile[] {
  const out: RouteFile[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const rel = path.relative(path.join(root, "app"), dir).split(path.sep);
        const paramNames = rel
          .map((segment) => /^\[(\.\.\.)?([^\]]+)\]$/.exec(segment))
          .filter((m): m is RegExpExecArray => m !== null)
          .map((m) => ({ name: m[2], catchAll: m[1] !== undefined }));
        out.push({ file: full, path: `/${rel.filter((s) => !/^\(.*\)$/.test(s)).join("/")}`, paramNames });
      }
    }
  };
  walk(path.join(root, "app"));
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

export const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** A hostile request: a query to append, path segments to replace, or a body with its content type. */
export type HostileVariant = {
  name: string;
  query?: string;
  params?: (params: Record<string, string | string[]>) => Record<string, string | string[]>;
  body?: string;
  contentType?: string;
  /**
   * Malformed for every route (a NUL byte, a lone surrogate, JSON that does not
   * parse, a 100 kB field): a mutation that reads its body must refuse it. The
   * others (a negative amount, a number where text was expected) are refused
   * or accepted by each route's own rules, but never crash one.
   */
  malformed?: boolean;
};

// Field names the routes' schemas read, so a hostile value reaches each schema's own checks.
const FIELDS = ["email", "name", "title", "code", "token", "id", "kind", "planId", "orgId", "reason", "csr", "card"];
const AMOUNTS = ["amountMinor", "priceMinor", "quantity", "seats", "ttlDays", "days"];

function everyField(value: unknown): string {
  return JSON.stringify(Object.fromEntries([...FIELDS, ...AMOUNTS].map((f) => [f, value])));
}

const JSON_TYPE = "application/json";

/** JSON documents of the wrong shape, from fast-check with a fixed seed (the same ones on every run). */
const wrongShapes: string[] = fc
  .sample(
    fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.constantFrom(...FIELDS, ...AMOUNTS), fc.jsonValue())),
    { seed: 12, numRuns: 2 },
  )
  .map((v) => JSON.stringify(v) ?? "null");

/** What every route gets, on every method: a hostile query, hostile path segments. */
export const urlVariants: HostileVariant[] = [
  { name: "NUL in the query", query: "id=a%00b&q=a%00b&client_id=a%00b" },
  { name: "malformed %-escape in the query", query: "q=%E0%A4%A&id=%ZZ" },
  {
    name: "NUL in every path segment",
    params: (params) =>
      Object.fromEntries(
        Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v.map((s) => `${s}\u0000`) : "a\u0000b"]),
      ),
  },
];

/** What every mutating method gets as its body. The first two are also sent signed out. */
export const bodyVariants: HostileVariant[] = [
  { name: "malformed JSON", body: '{"email": "a@b.c", ', contentType: JSON_TYPE, malformed: true },
  { name: "NUL in every JSON field", body: everyField("a\u0000b"), contentType: JSON_TYPE, malformed: true },
  { name: "lone surrogate in every JSON field", body: everyField("a\ud800b"), contentType: JSON_TYPE, malformed: true },
  { name: "control character in a JSON name", body: '{"na\\u001bme": "x", malformed: true }', contentType: JSON_TYPE },
  { name: "overlong strings", body: everyField("x".repeat(100_000)), contentType: JSON_TYPE, malformed: true },
  { name: "negative amounts", body: everyField(-1), contentType: JSON_TYPE },
  { name: "overflowing amounts", body: everyField(1e308), contentType: JSON_TYPE },
  { name: "amounts past 2^63", body: everyField("99999999999999999999999"), contentType: JSON_TYPE },
  ...wrongShapes.map((body, i) => ({ name: `wrong types #${i + 1}`, body, contentType: JSON_TYPE })),
  {
    name: "NUL in a form",
    body: FIELDS.map((f) => `${f}=a%00b`).join("&"),
    contentType: "application/x-www-form-urlencoded",
    malformed: true,
  },
  {
    name: "a multipart body that does not parse",
    body: "garbage",
    contentType: "multipart/form-data; boundary=x",
    malformed: true,
  },
  { name: "a text/plain body", body: "a=b", contentType: "text/plain" },
  { name: "a huge body", body: JSON.stringify({ name: "x".repeat(1536 * 1024) }), contentType: JSON_TYPE },
];

/**
 * Whether a route file reads a request body at all: a mutation that reads
 * none (a passkey challenge, a sign-out) may accept any body, as it never
 * looks at it. Files that re-export their handlers from lib/ count as reading.
 */
export function readsBody(route: RouteFile): boolean {
  const source = fs.readFileSync(route.file, "utf8");
  return /export \{[^}]*\} from|readJson|readForm|readFormOrJson|readParams|req\.text\(|NextAuth/.test(source);
}
