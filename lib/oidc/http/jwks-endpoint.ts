import { corsHeaders, oauthRoute, preflight } from "@/lib/oidc/http/oauth-route";
import { oidcJwksBody } from "@/lib/oidc/signing";

/**
 * The JWKS endpoint, `/oidc/jwks`: the published OIDC keys. Cacheable for a
 * few minutes: a new key is used only after it is published, and verifiers
 * refetch on an unknown kid. Served by app/oidc/jwks/route.ts and by the
 * protocol fast lane, which call these very functions.
 */
export const GET = oauthRoute(async () => new Response(await oidcJwksBody(), { headers: { "content-type": "application/jwk-set+json", "cache-control": "public, max-age=300", ...corsHeaders } }));
export const OPTIONS = preflight;
