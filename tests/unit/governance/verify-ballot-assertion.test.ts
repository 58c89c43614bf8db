import { describe, expect, it } from "vitest";
import { verifyAuthenticationResponse } from "@simplewebauthn/server";
import { SoftwareAuthenticator } from "@/tests/support/software-authenticator";
import { ballotChallenge, justificationHashOf, type BallotContent } from "@/lib/governance/verifier/ballot-content";
import { verifyBallotAssertion } from "@/lib/governance/verifier/verify-ballot-assertion";
import { coseKeyToJwk } from "@/lib/governance/verifier/cose-key";

const rp = { rpId: "localhost", origin: "http://localhost:3999" };
const ballot: BallotContent = { proposalId: "prop_x", proposalDigest: "a".repeat(64), voterId: "usr_x", choice: 1, justificationHash: justificationHashOf(null), castAt: "2026-11-24T12:00:00.000Z" };

function assertionParts(a: ReturnType<SoftwareAuthenticator["getAssertion"]>, auth: SoftwareAuthenticator) {
  const b = (s: string) => Buffer.from(s, "base64url");
  return { authenticatorData: b(a.response.authenticatorData), clientDataJSON: b(a.response.clientDataJSON), signature: b(a.response.signature), publicKey: auth.coseKey() };
}

describe("ballot assertion verifier", () => {
  for (const type of ["ES256", "EdDSA", "RS256"] as const) {
    it(`verifies an honest ${type} assertion over the ballot's challenge`, () => {
      const auth = new SoftwareAuthenticator(rp, type);
      const verdict = verifyBallotAssertion(ballot, assertionParts(auth.getAssertion(ballotChallenge(ballot)), auth), rp);
      expect(verdict).toEqual({ ok: true, signCount: 1, challenge: ballotChallenge(ballot) });
    });
  }

  it("agrees with @simplewebauthn/server on the software authenticator's assertions", async () => {
    const auth = new SoftwareAuthenticator(rp, "ES256");
    const challenge = ballotChallenge(ballot);
    const result = await verifyAuthenticationResponse({
      response: auth.getAssertion(challenge),
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpId,
      requireUserVerification: true,
      credential: { id: auth.credentialId, publicKey: auth.coseKey() as Uint8Array<ArrayBuffer>, counter: 0 },
    });
    expect(result.verified).toBe(true);
  });

  it("gives two voters casting the same choice at the same time different challenges", () => {
    expect(ballotChallenge({ ...ballot, voterId: "usr_y" })).not.toBe(ballotChallenge(ballot));
  });

  it("refuses a signature over different ballot content", () => {
    const auth = new SoftwareAuthenticator(rp);
    const parts = assertionParts(auth.getAssertion(ballotChallenge(ballot)), auth);
    expect(verifyBallotAssertion({ ...ballot, choice: -1 }, parts, rp)).toMatchObject({ ok: false, problem: "CHALLENGE_MISMATCH" });
    expect(verifyBallotAssertion({ ...ballot, voterId: "usr_other" }, parts, rp)).toMatchObject({ ok: false, problem: "CHALLENGE_MISMATCH" });
    expect(verifyBallotAssertion({ ...ballot, castAt: "2026-11-24T12:00:00.001Z" }, parts, rp)).toMatchObject({ ok: false, problem: "CHALLENGE_MISMATCH" });
  });

  it("refuses another origin, another RP id, a missing UV flag, a wrong type, a bad signature and a foreign key", () => {
    const auth = new SoftwareAuthenticator(rp);
    const c = ballotChallenge(ballot);
    expect(verifyBallotAssertion(ballot, assertionParts(auth.getAssertion(c, { origin: "https://evil.example" }), auth), rp)).toMatchObject({ problem: "WRONG_ORIGIN" });
    expect(verifyBallotAssertion(ballot, assertionParts(auth.getAssertion(c, { rpId: "evil.example" }), auth), rp)).toMatchObject({ problem: "WRONG_RP_ID" });
    expect(verifyBallotAssertion(ballot, assertionParts(auth.getAssertion(c, { userVerified: false }), auth), rp)).toMatchObject({ problem: "USER_NOT_VERIFIED" });
    expect(verifyBallotAssertion(ballot, assertionParts(auth.getAssertion(c, { type: "webauthn.create" }), auth), rp)).toMatchObject({ problem: "WRONG_TYPE" });
    const parts = assertionParts(auth.getAssertion(c), auth);
    parts.signature[parts.signature.length - 3] ^= 1;
    expect(verifyBallotAssertion(ballot, parts, rp)).toMatchObject({ problem: "BAD_SIGNATURE" });
    const other = new SoftwareAuthenticator(rp);
    expect(verifyBallotAssertion(ballot, { ...assertionParts(auth.getAssertion(c), auth), publicKey: other.coseKey() }, rp)).toMatchObject({ problem: "BAD_SIGNATURE" });
  });

  it("converts COSE keys to the JWK node:crypto exported", () => {
    const auth = new SoftwareAuthenticator(rp, "ES256");
    const { jwk } = coseKeyToJwk(auth.coseKey());
    const exported = auth.publicKey.export({ format: "jwk" });
    expect(jwk).toEqual({ kty: "EC", crv: "P-256", x: exported.x, y: exported.y });
    expect(() => coseKeyToJwk(new Uint8Array([0xa1, 0x01, 0x02]))).toThrow(/unsupported/);
  });
});
