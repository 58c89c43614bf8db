import "server-only";
import crypto from "node:crypto";
import { ballotChallenge, type BallotContent } from "./ballot-content";
import { importCoseKey, verifyCoseSignature } from "./cose-key";

/**
 * Verifies the WebAuthn assertion that signs a ballot, with node:crypto alone.
 * Checks, in order:
 *  1. clientDataJSON parses, its type is "webauthn.get";
 *  2. its challenge equals the challenge recomputed from the ballot's fields
 *     (otherwise the signature is over different content);
 *  3. its origin is the relying party's origin;
 *  4. the authenticator data's RP id hash is SHA-256 of the RP id;
 *  5. the user-present and user-verified flags are set;
 *  6. the signature over authenticatorData || SHA-256(clientDataJSON)
 *     verifies with the credential's COSE public key.
 */
export type BallotAssertion = {
  authenticatorData: Uint8Array;
  clientDataJSON: Uint8Array;
  signature: Uint8Array;
  publicKey: Uint8Array; // COSE
};

export type AssertionProblem =
  | "MALFORMED_CLIENT_DATA"
  | "WRONG_TYPE"
  | "CHALLENGE_MISMATCH"
  | "WRONG_ORIGIN"
  | "MALFORMED_AUTHENTICATOR_DATA"
  | "WRONG_RP_ID"
  | "USER_NOT_PRESENT"
  | "USER_NOT_VERIFIED"
  | "UNSUPPORTED_KEY"
  | "BAD_SIGNATURE";

export type AssertionVerdict =
  | { ok: true; signCount: number; challenge: string }
  | { ok: false; problem: AssertionProblem; detail: string };

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;

export function clientDataChallengeOf(clientDataJSON: Uint8Array): string | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(clientDataJSON).toString("utf8"));
    const challenge = (parsed as { challenge?: unknown }).challenge;
    return typeof challenge === "string" ? challenge : undefined;
  } catch {
    return undefined;
  }
}

export function verifyBallotAssertion(
  ballot: BallotContent,
  assertion: BallotAssertion,
  rp: { rpId: string; origin: string },
): AssertionVerdict {
  let clientData: { type?: unknown; challenge?: unknown; origin?: unknown };
  try {
    clientData = JSON.parse(Buffer.from(assertion.clientDataJSON).toString("utf8"));
  } catch {
    return { ok: false, problem: "MALFORMED_CLIENT_DATA", detail: "clientDataJSON is not JSON" };
  }
  if (clientData.type !== "webauthn.get")
    return { ok: false, problem: "WRONG_TYPE", detail: `type is ${String(clientData.type)}` };
  const expected = ballotChallenge(ballot);
  if (clientData.challenge !== expected) {
    return {
      ok: false,
      problem: "CHALLENGE_MISMATCH",
      detail: "the passkey signed different ballot content than the ballot shows",
    };
  }
  if (clientData.origin !== rp.origin)
    return { ok: false, problem: "WRONG_ORIGIN", detail: `origin ${String(clientData.origin)} is not ${rp.origin}` };

  const authData = Buffer.from(assertion.authenticatorData);
  if (authData.length < 37)
    return { ok: false, problem: "MALFORMED_AUTHENTICATOR_DATA", detail: "authenticator data shorter than 37 bytes" };
  const rpIdHash = crypto.createHash("sha256").update(rp.rpId).digest();
  if (!crypto.timingSafeEqual(authData.subarray(0, 32), rpIdHash))
    return { ok: false, problem: "WRONG_RP_ID", detail: `not signed for ${rp.rpId}` };
  const flags = authData[32];
  if (!(flags & FLAG_UP)) return { ok: false, problem: "USER_NOT_PRESENT", detail: "user-present flag not set" };
  if (!(flags & FLAG_UV)) return { ok: false, problem: "USER_NOT_VERIFIED", detail: "user-verified flag not set" };
  const signCount = authData.readUInt32BE(33);

  let key: ReturnType<typeof importCoseKey>;
  try {
    key = importCoseKey(assertion.publicKey);
  } catch (e) {
    return { ok: false, problem: "UNSUPPORTED_KEY", detail: e instanceof Error ? e.message : String(e) };
  }
  const signed = Buffer.concat([authData, crypto.createHash("sha256").update(assertion.clientDataJSON).digest()]);
  let valid = false;
  try {
    valid = verifyCoseSignature(key, signed, Buffer.from(assertion.signature));
  } catch {
    valid = false;
  }
  if (!valid)
    return {
      ok: false,
      problem: "BAD_SIGNATURE",
      detail: "the signature does not verify with the credential's public key",
    };
  return { ok: true, signCount, challenge: expected };
}
