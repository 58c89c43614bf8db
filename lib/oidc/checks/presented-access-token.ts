import "server-only";
import { issuer } from "@/lib/oidc/config";
import { InvalidDpopProof, InvalidToken } from "@/lib/oidc/errors";
import { dpopHeaderOf } from "@/lib/oidc/checks/check-dpop-proof";
import type { TokenPresentation } from "@/lib/oidc/checks/check-token-binding";

/** An access token as a resource received it, and how (RFC 6750 §2.1 or RFC 9449 §7). */
export type PresentedAccessToken = { token: string; presentation: TokenPresentation };

// RFC 6750 §2.1 b64token: what may follow the scheme.
const TOKEN_CHARS = /^[A-Za-z0-9._~+/-]+=*$/;

/**
 * The access token of `Authorization: Bearer <token>` or `Authorization: DPoP
 * <token>` (with its `DPoP` header proof), or undefined when there is no
 * Authorization header of either scheme. The proof is to be made for
 * `method` and this resource's URL as our issuer names it (its origin and the
 * request's path; never the Host header), so a proof made for another
 * resource fails its htu check. Every resource that takes an access token
 * reads it here, and verifies it with verifyPresentedAccessToken.
 */
export function presentedAccessToken(
  req: { method: string; url: string; headers: Pick<Headers, "get"> },
  resourceUrl?: string,
): PresentedAccessToken | undefined {
  const header = req.headers.get("authorization");
  const match = header ? /^(Bearer|DPoP)\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) return undefined;
  const dpop = match[1].toLowerCase() === "dpop";
  if (!TOKEN_CHARS.test(match[2])) throw new InvalidToken("the access token is malformed", dpop ? "DPoP" : undefined);
  if (!dpop) return { token: match[2], presentation: { scheme: "bearer" } };
  const url = resourceUrl ?? new URL(new URL(req.url).pathname, issuer()).href;
  return {
    token: match[2],
    presentation: { scheme: "dpop", proof: proofOf(req.headers), method: req.method, url },
  };
}

/** At a resource a bad DPoP header is a 401 with the DPoP challenge (RFC 9449 §7.1), not the token endpoint's 400. */
function proofOf(headers: Pick<Headers, "get">): string | undefined {
  try {
    return dpopHeaderOf(headers);
  } catch (e) {
    if (e instanceof InvalidDpopProof) throw new InvalidDpopProof(e.description, 401);
    throw e;
  }
}
