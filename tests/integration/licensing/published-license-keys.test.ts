import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { getPublishedLicenseKeys } from "@/lib/licensing/get-published-license-keys";

describe("published license keys", () => {
  it("hold the active EdDSA key before any license document is signed", async () => {
    expect(await db().signingKey.count({ where: { purpose: "license" } })).toBe(0);
    const { keys } = await getPublishedLicenseKeys();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig", kid: expect.any(String) });
    expect(keys[0]).not.toHaveProperty("d");
    // Asking again publishes the same key, not another.
    expect((await getPublishedLicenseKeys()).keys.map((k) => k.kid)).toEqual([keys[0].kid]);
  });
});
