import "server-only";
import { log } from "@/lib/log";
import { FederationError } from "@/lib/federation/federation-error";

/**
 * Runs a federation endpoint: a FederationError becomes the specification's
 * error response (§8.9: JSON `{ error, error_description }`), logged as a
 * refusal; anything else goes on to apiRoute's handling (a 5xx, logged).
 */
export async function federationAnswer(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof FederationError)) throw e;
    log.info({ code: e.code, description: e.description }, "federation request refused");
    return Response.json(
      { error: e.code, error_description: e.description },
      { status: e.status, headers: { "cache-control": "no-store", "access-control-allow-origin": "*" } },
    );
  }
}

/** A signed JWT as the answer, with its media type (`application/<typ>`). */
export function jwtAnswer(jwt: string, typ: string, cacheControl = "no-cache"): Response {
  return new Response(jwt, {
    headers: {
      "content-type": `application/${typ}`,
      "cache-control": cacheControl,
      "access-control-allow-origin": "*",
    },
  });
}
