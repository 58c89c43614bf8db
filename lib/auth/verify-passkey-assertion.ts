import "server-only";
import { z } from "zod";
import {
  verifyAuthenticationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
} from "@simplewebauthn/server";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { relyingParty } from "@/lib/auth/relying-party";
import { challengeOfClientData, consumeChallenge, type ChallengePurpose } from "@/lib/auth/webauthn-challenges";
import { userHandleOf } from "@/lib/auth/webauthn-user-handle";
import { parsePasskeyResponse, passkeyResponseSchema } from "@/lib/auth/parse-passkey-response";

const authenticationResponseSchema = passkeyResponseSchema(
  z.object({
    clientDataJSON: z.string().min(1).max(4096),
    authenticatorData: z.string().min(1).max(4096),
    signature: z.string().min(1).max(1024),
    userHandle: z.string().max(128).optional(),
  }),
);

/** Parses what @simplewebauthn/browser's startAuthentication() returned, sent as a JSON string. */
export function parseAuthenticationResponse(json: string): AuthenticationResponseJSON {
  return parsePasskeyResponse(json, authenticationResponseSchema) as AuthenticationResponseJSON;
}

/**
 * Verifies a passkey assertion inside the caller's transaction and returns the
 * passkey and its user. Used for sign-in and by other domains that need a
 * person's signature on something (governance ballots: store the challenge
 * with storeChallenge({ challenge: …, purpose: "ballot", userId }) and pass the same purpose here).
 *
 * Checks, in order: the challenge is one we issued for this purpose (and
 * user) and is consumed now; the credential is registered; it belongs to the
 * expected user when one is named; the authenticator's user handle, when
 * sent, is that user's; the account is enabled; the signature verifies for
 * our origin and RP id with user verification; the counter did not go
 * backwards. Then it records the use (counter, last used, backup state).
 */
export async function verifyPasskeyAssertion(
  tx: Tx,
  input: { response: AuthenticationResponseJSON; purpose: ChallengePurpose; userId?: string },
) {
  const { response } = input;
  await consumeChallenge(tx, {
    challenge: challengeOfClientData(response.response.clientDataJSON),
    purpose: input.purpose,
    userId: input.userId,
  });
  const passkey = await tx.passkey.findUnique({ where: { credentialId: response.id }, include: { user: true } });
  if (!passkey)
    throw new AppError("UNAUTHENTICATED", {
      userMessage: "This passkey is not registered here.",
      reason: "UNKNOWN_PASSKEY",
    });
  const wrongUser =
    (input.userId !== undefined && passkey.userId !== input.userId) ||
    (response.response.userHandle !== undefined && response.response.userHandle !== userHandleOf(passkey.userId));
  if (wrongUser)
    throw new AppError("UNAUTHENTICATED", {
      userMessage: "This passkey belongs to another account.",
      reason: "WRONG_PASSKEY",
    });
  if (passkey.user.disabledAt)
    throw new AppError("FORBIDDEN", { userMessage: "This account is disabled.", reason: "ACCOUNT_DISABLED" });

  const rp = relyingParty();
  const verification = await verifyAuthenticationResponse({
    response,
    expectedChallenge: () => true, // already matched and consumed above
    expectedOrigin: rp.origin,
    expectedRPID: rp.rpID,
    requireUserVerification: true,
    credential: {
      id: passkey.credentialId,
      publicKey: new Uint8Array(passkey.publicKey),
      counter: Number(passkey.counter),
      transports: passkey.transports as AuthenticatorTransport[],
    },
  }).catch(() => ({ verified: false as const, authenticationInfo: undefined }));
  if (!verification.verified || !verification.authenticationInfo) {
    throw new AppError("UNAUTHENTICATED", {
      userMessage: "The passkey signature did not verify.",
      reason: "BAD_SIGNATURE",
    });
  }
  const updated = await tx.passkey.update({
    where: { id: passkey.id },
    data: {
      counter: BigInt(verification.authenticationInfo.newCounter),
      lastUsedAt: new Date(),
      backedUp: verification.authenticationInfo.credentialBackedUp,
    },
  });
  return { passkey: updated, user: passkey.user };
}
