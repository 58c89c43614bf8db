import "server-only";
import { decodeJwt } from "jose";
import { issuer } from "@/lib/oidc/config";
import { InvalidRequest } from "@/lib/oidc/errors";
import { verifyOidcJwt } from "@/lib/oidc/signing";

/**
 * An id_token_hint (OIDC Core §3.1.2.1, RP-Initiated Logout §2). Checks:
 * - it is a JWT we signed with a published key, issued by us (an expired one
 *   is accepted: a hint names a user, it grants nothing, and RPs send the ID
 *   token they hold, often past its life);
 * - it names exactly one audience, which is the client's when one is given;
 * - it has a subject.
 * Anything else, garbage included, is invalid_request.
 */
export async function checkIdTokenHint(hint: string, clientId?: string): Promise<{ sub: string; clientId: string }> {
  try {
    const exp = decodeJwt(hint).exp;
    const { payload } = await verifyOidcJwt(hint, {
      issuer: issuer(),
      currentDate: typeof exp === "number" && Number.isFinite(exp) ? new Date((exp - 1) * 1000) : undefined,
    });
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (aud.length !== 1 || typeof aud[0] !== "string" || typeof payload.sub !== "string") throw new Error("shape");
    if (clientId !== undefined && aud[0] !== clientId)
      throw new InvalidRequest("the id_token_hint was not issued to this client");
    return { sub: payload.sub, clientId: aud[0] };
  } catch (e) {
    if (e instanceof InvalidRequest) throw e;
    throw new InvalidRequest("could not validate the id_token_hint");
  }
}
