import "server-only";
import { generateAuthenticationOptions } from "@simplewebauthn/server";
import { relyingParty } from "@/lib/auth/relying-party";
import { storeChallenge } from "@/lib/auth/webauthn-challenges";
import { consumeRateLimit, rateLimits } from "@/lib/rate-limit/consume-rate-limit";

/**
 * Options for signing in with any discoverable passkey (no user named up
 * front): the browser offers the user's passkeys for this site, in a dialog
 * or in the email field's autofill. The sign-in page asks for them in the
 * background on every load, so they count against a generous limit of their
 * own, never against sign-in's: opening the page is not a failed sign-in.
 */
export async function startPasskeySignIn(input: { ipAddress?: string }) {
  if (input.ipAddress) await consumeRateLimit(rateLimits.passkeyOptionsPerAddress, input.ipAddress);
  const options = await generateAuthenticationOptions({
    rpID: relyingParty().rpID,
    userVerification: "required",
    allowCredentials: [],
  });
  await storeChallenge({ challenge: options.challenge, purpose: "authentication" });
  return options;
}
