import { apiRoute } from "@/lib/http/api-route";
import { checkDatabaseHealth } from "@/lib/db/check-database-health";
import { answer } from "@/lib/http/api-contract";
import { healthResponseSchema } from "@/app/api/health/schemas";

export const GET = apiRoute(async () => {
  const database = await checkDatabaseHealth();
  return answer(
    healthResponseSchema,
    { status: database.ok ? "ok" : "degraded", database },
    { status: database.ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
});
