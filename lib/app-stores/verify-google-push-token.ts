import "server-only";
import { createRemoteJWKSet, errors, jwtVerify } from "jose";
import { AppError } from "@/lib/errors/app-error";
import type { GooglePlayConfig } from "@/lib/config/app-stores";

/** Google signs the OIDC tokens of Pub/Sub pushes with either spelling of its issuer. */
const googleIssuers = ["https://accounts.google.com", "accounts.google.com"];

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function keySet(url: string) {
  let set = keySets.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(url), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
    keySets.set(url, set);
  }
  return set;
}

const refused = (message: string) =>
  new AppError("UNAUTHENTICATED", {
    reason: "BAD_PUSH_TOKEN",
    message: `Pub/Sub push token refused: ${message}`,
    userMessage: "The push request's OIDC token does not verify.",
  });

/**
 * Checks the OIDC token Pub/Sub sends with each push (`Authorization: Bearer`),
 * with jose against Google's published keys (the configured JWKS URL): an RS256
 * signature by one of those keys, Google's issuer, the audience the push
 * subscription was set up with, a token not expired, and the configured
 * service account's verified email. Anything else is UNAUTHENTICATED
 * (BAD_PUSH_TOKEN); keys that could not be fetched are UNAVAILABLE, so
 * Pub/Sub retries.
 */
export async function verifyGooglePushToken(authorization: string | null, push: GooglePlayConfig["push"]) {
  const token = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization ?? "")?.[1];
  if (!token) throw refused("no bearer token");
  try {
    const { payload } = await jwtVerify(token, keySet(push.jwksUrl), {
      algorithms: ["RS256"],
      issuer: googleIssuers,
      audience: push.audience,
      requiredClaims: ["exp", "iat"],
    });
    if (payload.email !== push.serviceAccount || payload.email_verified !== true)
      throw refused("not the configured service account");
    return payload;
  } catch (e) {
    if (e instanceof AppError) throw e;
    // The key set's fetch failing (timeout, no answer, not 200) is ours to retry, not the sender's fault.
    const keysUnreachable =
      e instanceof errors.JWKSTimeout ||
      (e instanceof errors.JOSEError && e.code === "ERR_JOSE_GENERIC") ||
      (e instanceof TypeError && e.message === "fetch failed");
    if (keysUnreachable)
      throw new AppError("UNAVAILABLE", {
        reason: "PUSH_KEYS_UNAVAILABLE",
        message: `Google's signing keys could not be fetched: ${(e as Error).message}`,
        userMessage: "The push token could not be checked now; retry later.",
      });
    if (e instanceof errors.JOSEError) throw refused(e.code);
    throw e;
  }
}
