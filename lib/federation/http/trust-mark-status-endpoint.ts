import "server-only";
import { oauthEndpoint, preflight } from "@/lib/oidc/http/oauth-route";
import type { PlainAnswer } from "@/lib/http/serve-route-handler-like-next";
import { log } from "@/lib/log";
import { federationTypes } from "@/lib/federation/federation-constants";
import { FederationError } from "@/lib/federation/federation-error";
import { signTrustMarkStatus } from "@/lib/federation/trust-marks";

const MAX_BODY_CHARS = 16 * 1024;
const cors = { "access-control-allow-origin": "*" };

function refusal(e: FederationError): PlainAnswer {
  log.info({ code: e.code, description: e.description }, "federation request refused");
  return {
    status: e.status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...cors },
    body: JSON.stringify({ error: e.code, error_description: e.description }),
  };
}

/**
 * The trust mark status endpoint (§8.4): POST trust_mark=<JWT>
 * (form-encoded) → a signed status response. Hosts ask it before accepting a
 * theater, as often as they check anything, so it is a plain handler that
 * the protocol fast lane serves too. Errors are the specification's JSON.
 */
export const POST = oauthEndpoint(async (req) => {
  try {
    if (!(req.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded"))
      throw new FederationError("invalid_request", "Send trust_mark form-encoded (application/x-www-form-urlencoded).");
    const body = await req.text();
    if (body.length > MAX_BODY_CHARS) throw new FederationError("invalid_request", "The request is too large.");
    const trustMark = new URLSearchParams(body).get("trust_mark");
    if (!trustMark) throw new FederationError("invalid_request", "trust_mark is required.");
    return {
      status: 200,
      headers: {
        "content-type": `application/${federationTypes.trustMarkStatusResponse}`,
        "cache-control": "no-store",
        ...cors,
      },
      body: await signTrustMarkStatus(trustMark),
    };
  } catch (e) {
    if (e instanceof FederationError) return refusal(e);
    throw e;
  }
});
export const OPTIONS = preflight;
