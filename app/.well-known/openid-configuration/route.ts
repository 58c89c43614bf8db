import { corsHeaders, oauthRoute, preflight } from "@/lib/oidc/http/oauth-route";
import { discoveryBody } from "@/lib/oidc/discovery";

/** OpenID Provider metadata; cacheable, since it changes only with configuration. */
export const GET = oauthRoute(async () => new Response(discoveryBody(), { headers: { "content-type": "application/json", "cache-control": "public, max-age=300", ...corsHeaders } }));
export const OPTIONS = preflight;
