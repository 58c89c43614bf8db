import { z } from "zod";
import { verifyAuthenticationResponse, type AuthenticationResponseJSON } from "@simplewebauthn/server";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { relyingParty } from "@/lib/auth/relying-party";
import { consumeChallenge } from "@/lib/auth/webauthn-challenges";
import { consumeRateLimit, rateLimits } from "@/lib/rate-limit/consume-rate-limit";

const responseSchema = z.object({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: z.string().min(1),
    authenticatorData: z.string().min(1),
    signature: z.string().min(1),
    userHandle: z.string().optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.string().optional(),
});

function clientDataChallenge(clientDataJSON: string): string {
  try {
    return String(JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")).challenge ?? "");
  } catch {
    return "";
  }
}

/**
 * Verifies a passkey assertion for sign-in and returns its user. Checks: the
 * response is well-formed, its challenge is one we issued for sign-in and is
 * consumed now, the credential is registered, the signature verifies for our
 * origin and RP id with user verification, the counter did not go backwards,
 * and the account is enabled.
 */
export async function verifyPasskeySignIn(input: { responseJson: string; ipAddress?: string }) {
  if (input.ipAddress) await consumeRateLimit(rateLimits.signInPerIp, input.ipAddress);
  let parsedJson: unknown;
  try {
    parsedJson = JSON.parse(input.responseJson);
  } catch {
    throw new AppError("BAD_REQUEST", { userMessage: "The passkey response is not valid JSON." });
  }
  const response = responseSchema.parse(parsedJson) as AuthenticationResponseJSON;
  const rp = relyingParty();

  return db().$transaction(async (tx) => {
    await consumeChallenge(tx, clientDataChallenge(response.response.clientDataJSON), "authentication");
    const passkey = await tx.passkey.findUnique({ where: { credentialId: response.id }, include: { user: true } });
    if (!passkey) throw new AppError("UNAUTHENTICATED", { userMessage: "This passkey is not registered here.", reason: "UNKNOWN_PASSKEY" });
    if (passkey.user.disabledAt) throw new AppError("FORBIDDEN", { userMessage: "This account is disabled.", reason: "ACCOUNT_DISABLED" });

    const verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: () => true, // already matched and consumed above
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: true,
      credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: Number(passkey.counter), transports: passkey.transports as never },
    }).catch(() => ({ verified: false as const, authenticationInfo: undefined }));
    if (!verification.verified || !verification.authenticationInfo) {
      throw new AppError("UNAUTHENTICATED", { userMessage: "The passkey signature did not verify.", reason: "BAD_SIGNATURE" });
    }
    await tx.passkey.update({
      where: { id: passkey.id },
      data: { counter: BigInt(verification.authenticationInfo.newCounter), lastUsedAt: new Date(), backedUp: verification.authenticationInfo.credentialBackedUp },
    });
    return passkey.user;
  });
}
