import { answer } from "@/lib/http/api-contract";
import { liveResponseSchema } from "@/app/api/health/live/schemas";

/**
 * Liveness: the process answers. It never touches the database, so an
 * orchestrator does not restart healthy instances while the database is away
 * (readiness, next door, takes them out of the balancer instead). Plain
 * handler, not apiRoute: probes come every few seconds and need no access log.
 */
export function GET(): Response {
  return answer(liveResponseSchema, { status: "live" }, { headers: { "cache-control": "no-store" } });
}
