import { apiRoute } from "@/lib/http/api-route";
import { checkDatabaseHealth } from "@/lib/db/check-database-health";

export const GET = apiRoute(async () => {
  const database = await checkDatabaseHealth();
  return Response.json(
    { status: database.ok ? "ok" : "degraded", database },
    { status: database.ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
});
