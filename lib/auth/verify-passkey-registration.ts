import "server-only";
import { z } from "zod";
import { verifyRegistrationResponse, type RegistrationResponseJSON } from "@simplewebauthn/server";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { relyingParty } from "@/lib/auth/relying-party";
import { challengeOfClientData, consumeChallenge } from "@/lib/auth/webauthn-challenges";
import { parsePasskeyResponse, passkeyResponseSchema } from "@/lib/auth/parse-passkey-response";

/**
 * The algorithms we offer and accept: EdDSA, ES256, RS256. Named here once so
 * the options and the verification cannot disagree (the library's default
 * list grows with the runtime).
 */
export const SUPPORTED_ALGORITHM_IDS = [-8, -7, -257];

/**
 * Discoverable credentials with user verification: the passkey itself names
 * the account at sign-in (no username first), and the authenticator checks
 * the person (biometric or PIN), so one passkey is a full sign-in.
 */
export const AUTHENTICATOR_SELECTION = {
  residentKey: "required",
  requireResidentKey: true,
  userVerification: "required",
} as const;

export const MAX_PASSKEYS_PER_ACCOUNT = 20;

const registrationResponseSchema = passkeyResponseSchema(
  z.object({
    clientDataJSON: z.string().min(1).max(4096),
    attestationObject: z.string().min(1).max(32_768),
    authenticatorData: z.string().max(32_768).optional(),
    transports: z.array(z.string().max(32)).max(10).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: z.string().max(4096).optional(),
  }),
);

/** Parses what @simplewebauthn/browser's startRegistration() returned, sent as a JSON string. */
export function parseRegistrationResponse(json: string): RegistrationResponseJSON {
  return parsePasskeyResponse(json, registrationResponseSchema) as RegistrationResponseJSON;
}

/**
 * Verifies a new passkey inside the caller's transaction and returns what to
 * store. Checks: the challenge is ours, of this purpose (and user), unexpired,
 * and consumed now; the attestation verifies for our origin and RP id with
 * user verification and an algorithm we offered; the credential is not
 * registered yet (to anyone). Returns the consumed challenge too: for a
 * sign-up it carries the id chosen for the new account.
 */
export async function verifyPasskeyRegistration(
  tx: Tx,
  input: { response: RegistrationResponseJSON; purpose: "registration" | "sign-up"; userId?: string },
) {
  const challenge = await consumeChallenge(tx, {
    challenge: challengeOfClientData(input.response.response.clientDataJSON),
    purpose: input.purpose,
    userId: input.userId,
  });
  const rp = relyingParty();
  const verification = await verifyRegistrationResponse({
    response: input.response,
    expectedChallenge: () => true, // already matched and consumed above
    expectedOrigin: rp.origin,
    expectedRPID: rp.rpID,
    requireUserVerification: true,
    supportedAlgorithmIDs: SUPPORTED_ALGORITHM_IDS,
  }).catch(() => ({ verified: false as const, registrationInfo: undefined }));
  if (!verification.verified || !verification.registrationInfo) {
    throw new AppError("UNAUTHENTICATED", {
      userMessage: "The new passkey could not be verified. Try again.",
      reason: "BAD_ATTESTATION",
    });
  }
  const info = verification.registrationInfo;
  if (await tx.passkey.findUnique({ where: { credentialId: info.credential.id }, select: { id: true } })) {
    throw new AppError("CONFLICT", { userMessage: "This passkey is already registered.", reason: "PASSKEY_EXISTS" });
  }
  return {
    challenge,
    credential: {
      credentialId: info.credential.id,
      publicKey: new Uint8Array(info.credential.publicKey),
      counter: BigInt(info.credential.counter),
      transports: info.credential.transports ?? input.response.response.transports ?? [],
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
    },
  };
}
