import { testApiHandler } from "next-test-api-route-handler";
import { NextRequest } from "next/server";
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
  const [response] = await callRouteMany(route, call, [{}]);
  return response;
}

/**
 * Several requests to a route through one scope (setting a scope up costs
 * far more than a request): each entry of `requests` may change the URL,
 * params, method, headers or body of `call`. `onAnswer` runs after each,
 * before the next is sent.
 */
export async function callRouteMany(
  route: RouteModule,
  call: RouteCall,
  requests: Partial<RouteCall>[],
  onAnswer?: (res: Response, index: number) => Promise<void>,
): Promise<Response[]> {
  const responses: Response[] = [];
  let current: RouteCall = call;
  await testApiHandler({
    appHandler: route as never,
    // The URL and params of the request being sent, which vary within the one scope.
    requestPatcher: (req) =>
      new NextRequest(new URL(current.url, "http://localhost:3999"), {
        method: req.method,
        headers: req.headers,
        body: req.body,
        duplex: "half",
      } as ConstructorParameters<typeof NextRequest>[1]),
    paramsPatcher: () => current.params ?? {},
    async test({ fetch }) {
      for (const [i, r] of requests.entries()) {
        current = { ...call, ...r, headers: { ...call.headers, ...r.headers } };
        const res = await fetch({
          method: current.method ?? "GET",
          headers: current.headers,
          body: current.body as BodyInit,
        });
        // The body is read here, while the handler's scope is open; the copy outlives it.
        const copy = new Response(await res.arrayBuffer(), { status: res.status, headers: res.headers });
        responses.push(copy);
        await onAnswer?.(copy.clone(), i);
      }
    },
  });
  return responses;
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
