import { apiRoute } from "@/lib/http/api-route";
import { getPublicJwks } from "@/lib/keys/get-public-jwks";

/** Public: the keys that sign theater backups (JWKS), for an importer to trust (docs/EXPORTS.md). */
export const GET = apiRoute(
  async () => Response.json(await getPublicJwks(["export"]), { headers: { "cache-control": "public, max-age=300" } }),
  { crossOrigin: true },
);
