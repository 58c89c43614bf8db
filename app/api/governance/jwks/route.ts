import { apiRoute } from "@/lib/http/api-route";
import { getPublicJwks } from "@/lib/keys/get-public-jwks";
import { answer } from "@/lib/http/api-contract";
import { jwksSchema } from "@/app/api/governance/jwks/schemas";

/** Public: the keys that sign release manifests and tallies. */
export const GET = apiRoute(
  async () =>
    answer(jwksSchema, await getPublicJwks(["manifest", "governance"]), {
      headers: { "cache-control": "public, max-age=300" },
    }),
  { crossOrigin: true },
);
