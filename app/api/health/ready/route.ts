import { checkReadiness } from "@/lib/ops/check-readiness";
import { answer } from "@/lib/http/api-contract";
import { readinessResponseSchema } from "@/app/api/health/ready/schemas";

/**
 * Readiness: 200 while this instance can serve; 503 with the reason while the
 * database is unreachable, a migration is pending or the process shuts down.
 * Plain handler, not apiRoute: balancers probe it every second or so.
 */
export async function GET(): Promise<Response> {
  const readiness = await checkReadiness();
  return answer(
    readinessResponseSchema,
    readiness.ready ? { status: "ready" } : { status: "not ready", ...readiness },
    {
      status: readiness.ready ? 200 : 503,
      headers: { "cache-control": "no-store" },
    },
  );
}
