import "server-only";
import type { PublicDocument, PublicDocumentHandler } from "@/lib/http/serve-route-handler-like-next";
import { corsHeaders, oauthRoute } from "@/lib/oidc/http/oauth-route";

/**
 * A public protocol document (discovery, JWKS): cacheable for a few minutes,
 * since it changes only with configuration or a key rotation, and a new key
 * is used only after it has been published; CORS open, since browser-based
 * relying parties fetch it.
 */
export function protocolDocument(body: string, contentType: string): PublicDocument {
  return { body, headers: { "content-type": contentType, "cache-control": "public, max-age=300", ...corsHeaders } };
}

/**
 * protocolDocument, made once per distinct body: the same object is handed
 * out until the body changes (a key rotation changes the JWKS), so a server
 * can prepare what it sends once per document rather than once per request.
 */
export function memoizedProtocolDocument(contentType: string): (body: string) => PublicDocument {
  let last: PublicDocument | undefined;
  return (body) => {
    if (last?.body !== body) last = protocolDocument(body, contentType);
    return last;
  };
}

/**
 * The GET handler of a protocol document, through oauthRoute (request id,
 * errors in the OAuth format). It carries the document function too, which
 * the protocol fast lane sends directly (servePublicDocumentLikeNext).
 */
export function protocolDocumentRoute(document: () => PublicDocument | Promise<PublicDocument>): PublicDocumentHandler {
  const handler = oauthRoute(async () => {
    const { body, headers } = await document();
    return new Response(body, { headers });
  });
  return Object.assign(handler, { document });
}
