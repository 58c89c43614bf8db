import "server-only";
import { generateRegistrationOptions, type AuthenticatorTransport } from "@simplewebauthn/server";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { relyingParty } from "@/lib/auth/relying-party";
import { storeChallenge } from "@/lib/auth/webauthn-challenges";
import { requireRecentAuthentication } from "@/lib/auth/require-recent-authentication";
import { userHandleBytes } from "@/lib/auth/webauthn-user-handle";
import {
  AUTHENTICATOR_SELECTION,
  MAX_PASSKEYS_PER_ACCOUNT,
  SUPPORTED_ALGORITHM_IDS,
} from "@/lib/auth/verify-passkey-registration";

/**
 * Options for adding a passkey to the signed-in user's account, on a recent
 * sign-in only (requireRecentAuthentication). The user's existing passkeys
 * are excluded, so an authenticator that already holds one says so instead
 * of making a duplicate.
 */
export async function startPasskeyRegistration(input: { userId: string; authTime: Date }) {
  requireRecentAuthentication(input);
  const user = await db().user.findUniqueOrThrow({
    where: { id: input.userId },
    include: { passkeys: { select: { credentialId: true, transports: true } } },
  });
  if (user.passkeys.length >= MAX_PASSKEYS_PER_ACCOUNT) {
    throw new AppError("CONFLICT", {
      userMessage: `An account can have at most ${MAX_PASSKEYS_PER_ACCOUNT} passkeys. Remove one first.`,
      reason: "TOO_MANY_PASSKEYS",
    });
  }
  const rp = relyingParty();
  const options = await generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpID,
    userName: user.email,
    userID: userHandleBytes(user.id),
    userDisplayName: user.name ?? user.email,
    attestationType: "none",
    authenticatorSelection: AUTHENTICATOR_SELECTION,
    supportedAlgorithmIDs: SUPPORTED_ALGORITHM_IDS,
    excludeCredentials: user.passkeys.map((p) => ({
      id: p.credentialId,
      transports: p.transports as AuthenticatorTransport[],
    })),
  });
  await storeChallenge({ challenge: options.challenge, purpose: "registration", userId: user.id });
  return options;
}
