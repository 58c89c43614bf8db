import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CompactSign, exportJWK, generateKeyPair } from "jose";
import { createLicenseDocumentVerifier } from "@/lib/licensing/verify-license-document";
import { licenseState } from "@/lib/licensing/license-state";
import { licenseUri, parseLicenseUri } from "@/lib/licensing/license-urls";
import type { LicenseDocumentClaims } from "@/lib/licensing/license-document";

const nbf = 1_800_000_000;
const exp = nbf + 30 * 86_400;

async function fixture() {
  const { publicKey, privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "EdDSA", use: "sig" }] };
  const claims: LicenseDocumentClaims = {
    iss: "https://guildhall.example",
    sub: "lic_1",
    jti: "crt_1",
    iat: nbf,
    nbf,
    exp,
    license: {
      id: "lic_1",
      theater: { id: "org_1", slug: "globe", name: "Globe" },
      plan: { id: "lpl_1", name: "Stage" },
      entitlements: { seats: 400 },
      validFrom: new Date(nbf * 1000).toISOString(),
      validUntil: new Date(exp * 1000).toISOString(),
    },
    key: { sha256: "a".repeat(43), algorithm: "P-256", certificateSerial: "0abc" },
  };
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: "EdDSA", kid: "k1", typ: "guildhall-license+jwt" })
    .sign(privateKey);
  return { verify: createLicenseDocumentVerifier(jwks), jws };
}

describe("license document time window", () => {
  it("is valid exactly within [nbf - skew, exp + skew) and says why outside", async () => {
    const { verify, jws } = await fixture();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: nbf - 3 * 86_400, max: exp + 3 * 86_400 }),
        fc.integer({ min: 0, max: 300 }),
        async (t, skew) => {
          const v = await verify(jws, { now: new Date(t * 1000), clockSkewSeconds: skew });
          const expected = t + skew < nbf ? "NOT_YET_VALID" : t - skew >= exp ? "EXPIRED" : "VALID";
          expect(v.code).toBe(expected);
        },
      ),
      { numRuns: 200 },
    );
    expect((await verify(jws, { now: new Date((nbf - 61) * 1000) })).code).toBe("NOT_YET_VALID");
    expect((await verify(jws, { now: new Date((nbf - 59) * 1000) })).code).toBe("VALID");
    expect((await verify(jws, { now: new Date((exp + 59) * 1000) })).code).toBe("VALID");
    expect((await verify(jws, { now: new Date((exp + 60) * 1000) })).code).toBe("EXPIRED");
  });

  it("refuses a JWKS key that is not an Ed25519 signature key", async () => {
    const { jws } = await fixture();
    const { publicKey } = await generateKeyPair("ES256");
    const verify = createLicenseDocumentVerifier({
      keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" }],
    });
    expect((await verify(jws)).code).toBe("UNKNOWN_KEY");
  });
});

describe("license state and names", () => {
  it("derives expired from the end of an active license only", () => {
    const now = new Date("2030-01-01T00:00:00Z");
    expect(licenseState({ status: "ACTIVE", validUntil: new Date("2030-01-01T00:00:00Z") }, now)).toBe("expired");
    expect(licenseState({ status: "ACTIVE", validUntil: new Date("2030-01-01T00:00:01Z") }, now)).toBe("active");
    expect(licenseState({ status: "SUSPENDED", validUntil: new Date("2020-01-01T00:00:00Z") }, now)).toBe("suspended");
    expect(licenseState({ status: "PENDING_PAYMENT", validUntil: null }, now)).toBe("pending_payment");
  });

  it("round-trips the SAN URI and refuses look-alikes", () => {
    expect(parseLicenseUri(licenseUri("org_a-B", "lic_x_Y"))).toEqual({
      theaterOrgId: "org_a-B",
      licenseId: "lic_x_Y",
    });
    expect(parseLicenseUri("urn:guildhall:theater:org_a:license:lic_x:extra")).toBeNull();
    expect(parseLicenseUri("https://evil.example/urn:guildhall:theater:a:license:b")).toBeNull();
  });
});
