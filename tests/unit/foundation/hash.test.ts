import { describe, expect, it } from "vitest";
import { constantTimeEqual, randomToken, sha256Hex } from "@/lib/crypto/hash";
import { newId } from "@/lib/ids";

describe("token helpers", () => {
  it("hashes with SHA-256", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("makes 256-bit tokens and prefixed 128-bit ids that do not repeat", () => {
    expect(Buffer.from(randomToken(), "base64url")).toHaveLength(32);
    const ids = new Set(Array.from({ length: 1000 }, () => newId("usr")));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^usr_[A-Za-z0-9_-]{22}$/);
  });

  it("compares secrets exactly, whatever their lengths", () => {
    expect(constantTimeEqual("secret", "secret")).toBe(true);
    expect(constantTimeEqual("secret", "secreT")).toBe(false);
    expect(constantTimeEqual("secret", "secret2")).toBe(false);
    expect(constantTimeEqual("", "")).toBe(true);
  });
});
