import { apiRoute } from "@/lib/http/api-route";
import { getReleaseManifest } from "@/lib/governance/publish-release-manifest";

/**
 * Public, stable URL of the signed release manifest: a compact JWS (EdDSA,
 * key in /api/governance/jwks) listing approved releases per release line and
 * the release each host declares it runs.
 */
export const GET = apiRoute(
  async () => {
    const m = await getReleaseManifest();
    return new Response(m.jws, {
      headers: {
        "content-type": "application/jose",
        "cache-control": "no-cache",
        etag: `"${m.digest}"`,
        "x-manifest-seq": String(m.seq),
      },
    });
  },
  { crossOrigin: true },
);
