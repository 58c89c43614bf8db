import "server-only";
import { db } from "@/lib/db/client";
import { parseAuthenticationResponse, verifyPasskeyAssertion } from "@/lib/auth/verify-passkey-assertion";
import { rateLimits } from "@/lib/rate-limit/consume-rate-limit";
import { assertBelowFailureLimit, recordFailure } from "@/lib/rate-limit/failure-limit";
import { isAppError } from "@/lib/errors/app-error";

/**
 * Verifies a passkey assertion for sign-in and returns its user: the failure
 * limits of the client address (at this credential, the account not being
 * known before the lookup, and across credentials), then
 * verifyPasskeyAssertion's checks for the purpose "authentication". Only a
 * refusal counts, against the address that sent it.
 */
export async function verifyPasskeySignIn(input: { responseJson: string; ipAddress?: string }) {
  const response = parseAuthenticationResponse(input.responseJson);
  const atThisCredential = `passkey:${response.id}|${input.ipAddress ?? "unknown"}`;
  await assertBelowFailureLimit(rateLimits.signInFailuresPerAccountAndAddress, atThisCredential);
  if (input.ipAddress) await assertBelowFailureLimit(rateLimits.signInFailuresPerAddress, input.ipAddress);
  try {
    const { user } = await db().$transaction((tx) =>
      verifyPasskeyAssertion(tx, { response, purpose: "authentication" }),
    );
    return user;
  } catch (e) {
    if (isAppError(e) && e.statusCode < 500) {
      await recordFailure(rateLimits.signInFailuresPerAccountAndAddress, atThisCredential);
      if (input.ipAddress) await recordFailure(rateLimits.signInFailuresPerAddress, input.ipAddress);
    }
    throw e;
  }
}
