import { db } from "@/lib/db/client";
import { parseAuthenticationResponse, verifyPasskeyAssertion } from "@/lib/auth/verify-passkey-assertion";
import { consumeRateLimit, rateLimits } from "@/lib/rate-limit/consume-rate-limit";

/**
 * Verifies a passkey assertion for sign-in and returns its user: rate limits
 * per client address and per credential (the account is not known before
 * the lookup), then verifyPasskeyAssertion's checks for the purpose
 * "authentication".
 */
export async function verifyPasskeySignIn(input: { responseJson: string; ipAddress?: string }) {
  if (input.ipAddress) await consumeRateLimit(rateLimits.signInPerIp, input.ipAddress);
  const response = parseAuthenticationResponse(input.responseJson);
  await consumeRateLimit(rateLimits.signInPerAccount, `passkey:${response.id}`);
  const { user } = await db().$transaction((tx) => verifyPasskeyAssertion(tx, { response, purpose: "authentication" }));
  return user;
}
