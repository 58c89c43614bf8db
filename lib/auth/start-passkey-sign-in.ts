import { generateAuthenticationOptions } from "@simplewebauthn/server";
import { relyingParty } from "@/lib/auth/relying-party";
import { storeChallenge } from "@/lib/auth/webauthn-challenges";
import { consumeRateLimit, rateLimits } from "@/lib/rate-limit/consume-rate-limit";

/**
 * Options for signing in with any discoverable passkey (no user named up
 * front): the browser offers the user's passkeys for this site, in a dialog
 * or in the email field's autofill.
 */
export async function startPasskeySignIn(input: { ipAddress?: string }) {
  if (input.ipAddress) await consumeRateLimit(rateLimits.signInPerIp, input.ipAddress);
  const options = await generateAuthenticationOptions({
    rpID: relyingParty().rpID,
    userVerification: "required",
    allowCredentials: [],
  });
  await storeChallenge(options.challenge, "authentication");
  return options;
}
