import { describe, expect, it } from "vitest";
import { verifyAuthenticationResponse } from "@simplewebauthn/server";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { SoftAuthenticator, type SoftKeyType } from "@/tests/support/soft-authenticator";
import { ballotChallenge, justificationHashOf, type BallotContent } from "@/lib/governance/verifier/ballot-content";
import { verifyBallotAssertion } from "@/lib/governance/verifier/verify-ballot-assertion";
import { coseKeyToJwk } from "@/lib/governance/verifier/cose-key";

const rp = { rpId: "localhost", origin: "http://localhost:3999" };
const ballot: BallotContent = {
  proposalId: "prop_x",
  proposalDigest: "a".repeat(64),
  voterId: "usr_x",
  choice: 1,
  justificationHash: justificationHashOf(null),
  castAt: "2026-11-24T12:00:00.000Z",
};

/** An authenticator with one credential for `rp`, and a way to sign a challenge with it. */
function softKey(type: SoftKeyType = "ES256") {
  const auth = new SoftAuthenticator(rp.origin, type);
  const credential = auth.createCredential(rp.rpId);
  const publicKey = new Uint8Array(auth.coseKey(credential));
  const sign = (challenge: string, opts: Parameters<SoftAuthenticator["authenticate"]>[1] = {}) =>
    auth.authenticate({ challenge, rpId: rp.rpId }, opts);
  return { credential, publicKey, sign };
}

function assertionParts(a: AuthenticationResponseJSON, key: { publicKey: Uint8Array }) {
  const b = (s: string) => Buffer.from(s, "base64url");
  return {
    authenticatorData: b(a.response.authenticatorData),
    clientDataJSON: b(a.response.clientDataJSON),
    signature: b(a.response.signature),
    publicKey: key.publicKey,
  };
}

describe("ballot assertion verifier", () => {
  for (const type of ["ES256", "EdDSA", "RS256"] as const) {
    it(`verifies an honest ${type} assertion over the ballot's challenge`, () => {
      const key = softKey(type);
      const verdict = verifyBallotAssertion(ballot, assertionParts(key.sign(ballotChallenge(ballot)), key), rp);
      expect(verdict).toEqual({ ok: true, signCount: 1, challenge: ballotChallenge(ballot) });
    });
  }

  it("agrees with @simplewebauthn/server on the software authenticator's assertions", async () => {
    const key = softKey("ES256");
    const challenge = ballotChallenge(ballot);
    const result = await verifyAuthenticationResponse({
      response: key.sign(challenge),
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpId,
      requireUserVerification: true,
      credential: { id: key.credential.id.toString("base64url"), publicKey: new Uint8Array(key.publicKey), counter: 0 },
    });
    expect(result.verified).toBe(true);
  });

  it("gives two voters casting the same choice at the same time different challenges", () => {
    expect(ballotChallenge({ ...ballot, voterId: "usr_y" })).not.toBe(ballotChallenge(ballot));
  });

  it("refuses a signature over different ballot content", () => {
    const key = softKey();
    const parts = assertionParts(key.sign(ballotChallenge(ballot)), key);
    expect(verifyBallotAssertion({ ...ballot, choice: -1 }, parts, rp)).toMatchObject({
      ok: false,
      problem: "CHALLENGE_MISMATCH",
    });
    expect(verifyBallotAssertion({ ...ballot, voterId: "usr_other" }, parts, rp)).toMatchObject({
      ok: false,
      problem: "CHALLENGE_MISMATCH",
    });
    expect(verifyBallotAssertion({ ...ballot, castAt: "2026-11-24T12:00:00.001Z" }, parts, rp)).toMatchObject({
      ok: false,
      problem: "CHALLENGE_MISMATCH",
    });
  });

  it("refuses another origin, another RP id, a missing UV flag, a wrong type, a bad signature and a foreign key", () => {
    const key = softKey();
    const c = ballotChallenge(ballot);
    expect(
      verifyBallotAssertion(ballot, assertionParts(key.sign(c, { origin: "https://evil.example" }), key), rp),
    ).toMatchObject({ problem: "WRONG_ORIGIN" });
    expect(verifyBallotAssertion(ballot, assertionParts(key.sign(c, { rpId: "evil.example" }), key), rp)).toMatchObject(
      { problem: "WRONG_RP_ID" },
    );
    expect(verifyBallotAssertion(ballot, assertionParts(key.sign(c, { userVerified: false }), key), rp)).toMatchObject({
      problem: "USER_NOT_VERIFIED",
    });
    expect(
      verifyBallotAssertion(ballot, assertionParts(key.sign(c, { type: "webauthn.create" }), key), rp),
    ).toMatchObject({ problem: "WRONG_TYPE" });
    const parts = assertionParts(key.sign(c), key);
    parts.signature[parts.signature.length - 3] ^= 1;
    expect(verifyBallotAssertion(ballot, parts, rp)).toMatchObject({ problem: "BAD_SIGNATURE" });
    const other = softKey();
    expect(
      verifyBallotAssertion(ballot, { ...assertionParts(key.sign(c), key), publicKey: other.publicKey }, rp),
    ).toMatchObject({ problem: "BAD_SIGNATURE" });
  });

  it("converts COSE keys to the JWK node:crypto exported", () => {
    const key = softKey("ES256");
    const { jwk } = coseKeyToJwk(key.publicKey);
    const exported = key.credential.publicKey.export({ format: "jwk" });
    expect(jwk).toEqual({ kty: "EC", crv: "P-256", x: exported.x, y: exported.y });
    expect(() => coseKeyToJwk(new Uint8Array([0xa1, 0x01, 0x02]))).toThrow(/unsupported/);
  });
});
