import "server-only";
import { preflight } from "@/lib/oidc/http/oauth-route";
import { memoizedProtocolDocument, protocolDocumentRoute } from "@/lib/oidc/http/public-document-route";
import { oidcJwksBody, oidcJwksBodyIfReady } from "@/lib/oidc/signing";

/**
 * The JWKS endpoint, `/oidc/jwks`: the published OIDC keys; verifiers refetch
 * on an unknown kid. Served by app/oidc/jwks/route.ts and by the protocol fast
 * lane, which call these very functions.
 */
const document = memoizedProtocolDocument("application/jwk-set+json");
export const GET = protocolDocumentRoute(() => {
  const ready = oidcJwksBodyIfReady();
  return ready !== undefined ? document(ready) : oidcJwksBody().then(document);
});
export const OPTIONS = preflight;
