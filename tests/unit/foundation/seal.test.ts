import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { seal, unseal } from "@/lib/keys/seal";

const master = crypto.randomBytes(32);

describe("seal / unseal", () => {
  it("round-trips and never writes the plaintext", () => {
    const sealed = seal("signing-key-oidc-rs256", "-----BEGIN PRIVATE KEY-----secret", master);
    expect(sealed).not.toContain("secret");
    expect(unseal("signing-key-oidc-rs256", sealed, master).toString()).toBe("-----BEGIN PRIVATE KEY-----secret");
  });

  it("gives a different ciphertext each time (fresh IV)", () => {
    expect(seal("p", "same", master)).not.toBe(seal("p", "same", master));
  });

  it("refuses another purpose, another master key and any tampering", () => {
    const sealed = seal("license", "key material", master);
    expect(() => unseal("oidc", sealed, master)).toThrow("sealed for license");
    expect(() => unseal("license", sealed, crypto.randomBytes(32))).toThrow("not the configured MASTER_KEY");
    const parts = sealed.split(".");
    const ct = Buffer.from(parts[4], "base64url");
    ct[0] ^= 1;
    parts[4] = ct.toString("base64url");
    expect(() => unseal("license", parts.join("."), master)).toThrow();
    // Relabelling the purpose in the envelope fails too: the purpose is bound as associated data.
    const relabelled = sealed.replace(".license.", ".manifest.");
    expect(() => unseal("manifest", relabelled, master)).toThrow();
  });
});
