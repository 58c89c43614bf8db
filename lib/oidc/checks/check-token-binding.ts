import "server-only";
import { InvalidDpopProof, InvalidToken } from "@/lib/oidc/errors";
import { checkDpopProof } from "@/lib/oidc/checks/check-dpop-proof";

/** How an access token reached a resource: as a bearer token, or with the DPoP scheme and its proof (RFC 9449 §7). */
export type TokenPresentation =
  | { scheme: "bearer" }
  | { scheme: "dpop"; proof: string | undefined; method: string; url: string };

/**
 * Sender constraint at a resource (RFC 9449 §7). Checks:
 * - a token bound to a key (cnf.jkt) is refused as a bearer token: whoever
 *   stole it does not hold the key;
 * - with the DPoP scheme: a proof is present, made for this method and URL,
 *   over this token (ath), by the very key the token is bound to; and the
 *   token is a bound one (a bearer token sent as DPoP is a client's mistake
 *   we do not guess around).
 * Failures carry the DPoP challenge (WWW-Authenticate: DPoP).
 */
export async function checkTokenBinding(
  token: string,
  jkt: string | undefined,
  presentation: TokenPresentation,
): Promise<void> {
  if (presentation.scheme === "bearer") {
    if (jkt)
      throw new InvalidToken("this access token is DPoP-bound: present it with the DPoP scheme and a proof", "DPoP");
    return;
  }
  if (!presentation.proof) throw new InvalidDpopProof("a DPoP proof is required with the DPoP scheme", 401);
  if (!jkt) throw new InvalidToken("this access token is not DPoP-bound: present it as a bearer token", "DPoP");
  let proofJkt: string;
  try {
    proofJkt = await checkDpopProof(presentation.proof, {
      method: presentation.method,
      url: presentation.url,
      accessToken: token,
    });
  } catch (e) {
    if (e instanceof InvalidDpopProof) throw new InvalidDpopProof(e.description, 401);
    throw e;
  }
  if (proofJkt !== jkt) throw new InvalidToken("the DPoP proof is not by the key this token is bound to", "DPoP");
}
