import { apiRoute } from "@/lib/http/api-route";
import { publishedWebhookKeys } from "@/lib/webhooks/webhook-signer";

/**
 * The public keys that sign Guildhall's outgoing webhooks (Standard Webhooks
 * `v1a`, Ed25519): one set for every subscriber, each key as a JWK with its
 * `whpk_` form. A receiver fetches it once and pins it; a retired key stays
 * listed for a week after a rotation.
 */
export const GET = apiRoute(
  async () =>
    Response.json(await publishedWebhookKeys(), {
      headers: {
        "content-type": "application/jwk-set+json",
        "cache-control": "public, max-age=300",
        "access-control-allow-origin": "*",
      },
    }),
  { crossOrigin: true },
);
