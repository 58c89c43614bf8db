import "server-only";
import { oauthEndpoint, preflight, readParams } from "@/lib/oidc/http/oauth-route";
import type { PlainAnswer } from "@/lib/http/serve-route-handler-like-next";
import { log } from "@/lib/log";
import { federationTypes } from "@/lib/federation/federation-constants";
import { FederationError } from "@/lib/federation/federation-error";
import { signTrustMarkStatus, trustMarkStatusAtHand } from "@/lib/federation/trust-marks";

const MAX_BODY_CHARS = 16 * 1024;
const FORM = "application/x-www-form-urlencoded";
const cors = { "access-control-allow-origin": "*" };
/** A body of one parameter, trust_mark, with nothing escaped in it: what readParams reads unchanged. */
const JUST_A_MARK = /^trust_mark=[A-Za-z0-9_.-]+$/;
const MARK_AT = "trust_mark=".length;

function refusal(e: FederationError): PlainAnswer {
  log.info({ code: e.code, description: e.description }, "federation request refused");
  return {
    status: e.status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...cors },
    body: JSON.stringify({ error: e.code, error_description: e.description }),
  };
}

function isForm(headers: Pick<Headers, "get">): boolean {
  return (headers.get("content-type") ?? "").toLowerCase().startsWith(FORM);
}

/** The signed status response as the endpoint sends it (a new object: oauthEndpoint adds the request id to it). */
function statusAnswer(jwt: string): PlainAnswer {
  return {
    status: 200,
    headers: {
      "content-type": `application/${federationTypes.trustMarkStatusResponse}`,
      "cache-control": "no-store",
      ...cors,
    },
    body: jwt,
  };
}

/**
 * The trust mark status endpoint (§8.4): POST trust_mark=<JWT>
 * (form-encoded) → a signed status response. Errors are the specification's
 * JSON; a parameter given twice, a NUL byte or a malformed escape is
 * invalid_request (readParams), as anywhere else.
 */
export const POST = Object.assign(
  oauthEndpoint(async (req) => {
    try {
      if (!isForm(req.headers)) throw new FederationError("invalid_request", `Send trust_mark form-encoded (${FORM}).`);
      const body = await req.text();
      if (body.length > MAX_BODY_CHARS) throw new FederationError("invalid_request", "The request is too large.");
      const params = await readParams({
        method: req.method,
        url: req.url,
        headers: req.headers,
        text: async () => body,
      });
      const trustMark = params.trust_mark;
      if (!trustMark) throw new FederationError("invalid_request", "trust_mark is required.");
      return statusAnswer(await signTrustMarkStatus(trustMark));
    } catch (e) {
      if (e instanceof FederationError) return refusal(e);
      throw e;
    }
  }),
  { atHand },
);
export const OPTIONS = preflight;

let lastAtHand: PlainAnswer | undefined;

/**
 * The fast path the protocol fast lane asks first (hosts ask before every
 * theater they accept): a well-formed request for a mark whose signed answer
 * is at hand (trustMarkStatusAtHand: made while nothing it depends on has
 * changed since) is answered without the request context, the form parser or
 * any await. Only a body that is exactly `trust_mark=` and JWT characters, no
 * larger than the endpoint takes, sent form-encoded, qualifies; anything else
 * (a second parameter, an escape, a NUL byte, another type, a mark not at
 * hand) goes through POST, which checks and refuses it as always.
 */
function atHand(headers: Pick<Headers, "get">, body: string): PlainAnswer | undefined {
  if (body.length > MAX_BODY_CHARS || !JUST_A_MARK.test(body) || !isForm(headers)) return undefined;
  const jwt = trustMarkStatusAtHand(body.slice(MARK_AT));
  if (jwt === undefined) return undefined;
  // The same object while the response is the same: the lane works out its headers once per object.
  if (lastAtHand?.body !== jwt) lastAtHand = statusAnswer(jwt);
  return lastAtHand;
}
