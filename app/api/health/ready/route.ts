import { checkReadiness } from "@/lib/ops/check-readiness";

/**
 * Readiness: 200 while this instance can serve; 503 with the reason while the
 * database is unreachable, a migration is pending or the process shuts down.
 * Plain handler, not apiRoute: balancers probe it every second or so.
 */
export async function GET(): Promise<Response> {
  const readiness = await checkReadiness();
  return Response.json(readiness.ready ? { status: "ready" } : { status: "not ready", ...readiness }, {
    status: readiness.ready ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
