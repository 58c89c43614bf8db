import "server-only";
import crypto from "node:crypto";
import { InvalidGrant, InvalidRequest } from "@/lib/oidc/errors";

/**
 * PKCE (RFC 7636), required of every client, S256 only.
 * At the authorization endpoint: code_challenge is present, 43 base64url
 * characters (a SHA-256), and code_challenge_method is S256 ("plain" is refused).
 */
export function checkPkceChallenge(params: Record<string, string>): string {
  const challenge = params.code_challenge;
  if (!challenge) throw new InvalidRequest("code_challenge is required (PKCE with S256)");
  if ((params.code_challenge_method ?? "plain") !== "S256")
    throw new InvalidRequest("code_challenge_method must be S256");
  if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) throw new InvalidRequest("code_challenge must be a base64url SHA-256");
  return challenge;
}

/**
 * At the token endpoint: the code_verifier is 43 to 128 unreserved characters
 * and its SHA-256 is the challenge. A missing or wrong verifier is invalid_grant.
 */
export function checkPkceVerifier(verifier: string | undefined, challenge: string): void {
  if (!verifier) throw new InvalidGrant("code_verifier is missing (PKCE verification failed)");
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier))
    throw new InvalidGrant("code_verifier is malformed (PKCE verification failed)");
  const computed = crypto.createHash("sha256").update(verifier, "ascii").digest("base64url");
  if (
    !crypto.timingSafeEqual(
      Buffer.from(computed),
      Buffer.from(challenge.padEnd(computed.length).slice(0, computed.length)),
    )
  ) {
    throw new InvalidGrant("PKCE verification failed");
  }
}
