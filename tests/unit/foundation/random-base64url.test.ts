import { describe, expect, it } from "vitest";
import { randomBase64url } from "@/lib/crypto/random-base64url";
import { newId, newSortableId } from "@/lib/ids";
import { newRequestId } from "@/lib/http/request-context";

describe("randomBase64url", () => {
  it("hands out the requested number of bytes, never the same ones twice, across refills of its pool", () => {
    const seen = new Set<string>();
    // 1,200 draws of 16 bytes span three 8 KiB pools, so two refills.
    for (let i = 0; i < 1_200; i++) {
      const value = randomBase64url(16);
      expect(Buffer.from(value, "base64url")).toHaveLength(16);
      seen.add(value);
    }
    expect(seen.size).toBe(1_200);
    expect(Buffer.from(randomBase64url(256), "base64url")).toHaveLength(256);
  });

  it("makes the ids of every kind from it", () => {
    expect(newId("usr")).toMatch(/^usr_[A-Za-z0-9_-]{22}$/);
    expect(newSortableId("je")).toMatch(/^je_[0-9a-f]{12}[A-Za-z0-9_-]{14}$/);
    expect(newRequestId()).toMatch(/^req_[A-Za-z0-9_-]{12}$/);
    expect(newId("usr")).not.toBe(newId("usr"));
  });
});
