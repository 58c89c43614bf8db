import { apiRoute } from "@/lib/http/api-route";
import { getPublicJwks } from "@/lib/keys/get-public-jwks";

/** Public: the keys that sign release manifests and tallies. */
export const GET = apiRoute(
  async () =>
    Response.json(await getPublicJwks(["manifest", "governance"]), {
      headers: { "cache-control": "public, max-age=300" },
    }),
  { crossOrigin: true },
);
