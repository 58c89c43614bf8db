import "server-only";
import { preflight } from "@/lib/oidc/http/oauth-route";
import { memoizedProtocolDocument, protocolDocumentRoute } from "@/lib/oidc/http/public-document-route";
import { discoveryBody } from "@/lib/oidc/discovery";

/**
 * The discovery endpoint, `/.well-known/openid-configuration`: OpenID Provider
 * metadata. Served by app/.well-known/openid-configuration/route.ts and by the
 * protocol fast lane (lib/protocol-fast-lane/install-protocol-fast-lane.ts), which call
 * these very functions.
 */
const document = memoizedProtocolDocument("application/json");
export const GET = protocolDocumentRoute(() => document(discoveryBody()));
export const OPTIONS = preflight;
