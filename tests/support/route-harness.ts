import { testApiHandler } from "next-test-api-route-handler";
import { encode } from "next-auth/jwt";
import { env } from "@/lib/config/env";
import { createSession } from "@/lib/auth/sessions";
import { sessionCookieName } from "@/lib/auth/cookie-policy";
import { db } from "@/lib/db/client";

// What `next build` defines from next.config.ts (experimental.authInterrupts): forbidden() and unauthorized() work.
process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";

/** A module as app/**\/route.ts exports it: its method handlers. */
export type RouteModule = Record<string, unknown>;

export type RouteCall = {
  method?: string;
  /** Path and query, e.g. "/oidc/authorize?client_id=x". */
  url: string;
  /** The dynamic segments, as Next hands them to the handler. */
  params?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
};

/**
 * Calls a route module as Next would: the handler runs inside Next's own
 * request scope (next-test-api-route-handler), so cookies(), headers() and
 * the auth interrupts behave as under `next start`, without a build.
 */
export async function callRoute(route: RouteModule, call: RouteCall): Promise<Response> {
  let response: Response | undefined;
  await testApiHandler({
    appHandler: route as never,
    url: call.url,
    params: call.params,
    async test({ fetch }) {
      const res = await fetch({ method: call.method ?? "GET", headers: call.headers, body: call.body as BodyInit });
      // The body is read here, while the handler's scope is open; the copy outlives it.
      response = new Response(await res.arrayBuffer(), { status: res.status, headers: res.headers });
    },
  });
  if (!response) throw new Error(`no response from ${call.url}`);
  return response;
}

/** The Cookie header of a signed-in session for a user, as next-auth would set it. */
export async function sessionCookieFor(userId: string): Promise<string> {
  const sessionToken = await createSession({ userId, authMethod: "email_code" });
  const value = await encode({ token: { sessionToken }, secret: env().authSecret });
  return `${sessionCookieName()}=${value}`;
}

/** The number of rows in every table of the public schema: what a refused request must leave unchanged. */
export async function rowCounts(): Promise<Record<string, number>> {
  const tables = await db().$queryRaw<{ name: string }[]>`
    SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`;
  const union = tables
    .map((t) => `SELECT '${t.name}' AS name, count(*)::int AS n FROM "${t.name}"`)
    .join(" UNION ALL ");
  const rows = await db().$queryRawUnsafe<{ name: string; n: number }[]>(union);
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.n)]));
}
