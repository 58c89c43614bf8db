import "server-only";
import { generateRegistrationOptions } from "@simplewebauthn/server";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { AppError } from "@/lib/errors/app-error";
import { relyingParty } from "@/lib/auth/relying-party";
import { emailSchema } from "@/lib/mail/email-address";
import { displayNameSchema } from "@/lib/auth/account-schemas";
import { storeChallenge } from "@/lib/auth/webauthn-challenges";
import { userHandleBytes } from "@/lib/auth/webauthn-user-handle";
import { AUTHENTICATOR_SELECTION, SUPPORTED_ALGORITHM_IDS } from "@/lib/auth/verify-passkey-registration";
import { consumeRateLimit, rateLimits } from "@/lib/rate-limit/consume-rate-limit";

export const signUpSchema = z.object({ email: emailSchema, name: displayNameSchema });

export function accountExistsError() {
  return new AppError("CONFLICT", {
    userMessage:
      "An account with this email address already exists. Sign in instead (an email code works if you have no passkey).",
    reason: "EMAIL_TAKEN",
  });
}

/**
 * Step one of sign-up: registration options for the new account's first
 * passkey. The account does not exist yet; its id is chosen now, because the
 * authenticator stores it as the passkey's user handle, and is kept with the
 * challenge (purpose "sign-up") until completeSignUp creates the account.
 * Saying that an address is taken tells a visitor it has an account; sign-up
 * cannot avoid that, and the per-IP rate limit keeps it from being a bulk
 * lookup.
 */
export async function startSignUp(input: { email: string; name: string; ipAddress?: string }) {
  const { email, name } = signUpSchema.parse(input);
  if (input.ipAddress) await consumeRateLimit(rateLimits.signUpPerIp, input.ipAddress);
  if (await db().user.findUnique({ where: { email }, select: { id: true } })) throw accountExistsError();
  const userId = newId("usr");
  const rp = relyingParty();
  const options = await generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpID,
    userName: email,
    userID: userHandleBytes(userId),
    userDisplayName: name,
    attestationType: "none",
    authenticatorSelection: AUTHENTICATOR_SELECTION,
    supportedAlgorithmIDs: SUPPORTED_ALGORITHM_IDS,
  });
  await storeChallenge({ challenge: options.challenge, purpose: "sign-up", userId });
  return options;
}
