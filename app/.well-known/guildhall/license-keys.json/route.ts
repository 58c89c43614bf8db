import { apiRoute } from "@/lib/http/api-route";
import { getPublishedLicenseKeys } from "@/lib/licensing/get-published-license-keys";

/**
 * The license keys (EdDSA) that sign license documents, at a stable URL.
 * Retired keys stay published for as long as documents they signed may be
 * in use, so an offline verifier never meets an unknown kid it should know.
 */
export const GET = apiRoute(
  async () =>
    Response.json(await getPublishedLicenseKeys(), {
      headers: {
        "content-type": "application/jwk-set+json",
        "cache-control": "public, max-age=300",
        "access-control-allow-origin": "*",
      },
    }),
  { crossOrigin: true },
);
