import "server-only";
import { preflight } from "@/lib/oidc/http/oauth-route";
import { corsHeaders } from "@/lib/oidc/http/oauth-route";
import { protocolDocumentRoute } from "@/lib/oidc/http/public-document-route";
import type { PublicDocument } from "@/lib/http/serve-route-handler-like-next";
import { getEntityConfigurationJwt } from "@/lib/federation/entity-configuration";
import { federationTypes } from "@/lib/federation/federation-constants";

let last: PublicDocument | undefined;

/**
 * The trust anchor's Entity Configuration (OpenID Federation 1.0 §9) at
 * `/.well-known/openid-federation`, as a public document: signed again at
 * most once a minute (getEntityConfigurationJwt), the same bytes to every
 * caller in between. Served by the app route and by the protocol fast lane,
 * which call these very functions, since every party resolving a chain
 * fetches it as often as relying parties fetch the discovery document.
 */
export const GET = protocolDocumentRoute(async () => {
  const body = await getEntityConfigurationJwt();
  if (last?.body !== body)
    last = {
      body,
      headers: {
        "content-type": `application/${federationTypes.entityStatement}`,
        "cache-control": "public, max-age=60",
        ...corsHeaders,
      },
    };
  return last;
});
export const OPTIONS = preflight;
