import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { canonicalJson } from "@/lib/crypto/canonical-json";

describe("canonicalJson", () => {
  it("sorts keys at every depth and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it("writes dates as ISO strings and bigints as decimal strings", () => {
    expect(canonicalJson({ t: new Date("2026-01-02T03:04:05.006Z"), n: 2n ** 70n })).toBe(
      '{"n":"1180591620717411303424","t":"2026-01-02T03:04:05.006Z"}',
    );
  });

  it("refuses numbers JSON cannot carry", () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow("non-finite");
  });

  it("is the same for any key order and survives a JSON round trip", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const once = canonicalJson(value);
        expect(canonicalJson(JSON.parse(once))).toBe(once);
        if (value && typeof value === "object" && !Array.isArray(value)) {
          const reversed = Object.fromEntries(Object.entries(value).reverse());
          expect(canonicalJson(reversed)).toBe(once);
        }
      }),
    );
  });
});
