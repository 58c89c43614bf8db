import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { safeCallbackPath } from "@/lib/auth/safe-callback-path";

describe("safeCallbackPath", () => {
  it("keeps paths on this site, with their query and fragment", () => {
    expect(safeCallbackPath("/account")).toBe("/account");
    expect(safeCallbackPath("/orgs/globe?tab=members#top")).toBe("/orgs/globe?tab=members#top");
    expect(safeCallbackPath("/a/../account")).toBe("/account");
  });

  it("refuses everything that could leave the site", () => {
    for (const evil of [
      "https://evil.example/",
      "//evil.example/x",
      "/\\evil.example",
      "\\\\evil.example",
      "javascript:alert(1)",
      "evil.example",
      "/\t/evil.example",
      "",
      "  /account",
    ]) {
      expect(safeCallbackPath(evil), evil).toBe("/account");
    }
    expect(safeCallbackPath(null)).toBe("/account");
    expect(safeCallbackPath(undefined, "/")).toBe("/");
  });

  it("refuses next-auth's own endpoints as a destination", () => {
    expect(safeCallbackPath("/api/auth/signout")).toBe("/account");
  });

  it("always answers a path that a browser resolves to this origin", () => {
    fc.assert(
      fc.property(fc.string(), (raw) => {
        const path = safeCallbackPath(raw);
        expect(new URL(path, "https://guildhall.example").origin).toBe("https://guildhall.example");
        expect(path.startsWith("/") && !path.startsWith("//")).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
