import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { NextRequest } from "next/server";
import {
  assertCleanPath,
  assertCleanQuery,
  assertCleanText,
  isMalformedInput,
  unsafeTextReason,
} from "@/lib/http/untrusted-text";
import { refusalOfPageRequest } from "@/lib/http/page-request-refusal";

function refusal(f: () => void): string | undefined {
  try {
    f();
  } catch (e) {
    if (isMalformedInput(e)) return e.userMessage;
    throw e;
  }
  return undefined;
}

describe("the edge's text checks", () => {
  it("refuses NUL and other C0 controls and lone surrogates, keeps tab, newlines and paired surrogates", () => {
    expect(unsafeTextReason("a\u0000b")).toMatch(/control character/);
    expect(unsafeTextReason("a\u001bb")).toMatch(/control character/);
    expect(unsafeTextReason("a\ud800b")).toMatch(/lone surrogate/);
    expect(unsafeTextReason("a\udc00")).toMatch(/lone surrogate/);
    expect(unsafeTextReason("line\tone\r\nline two 🎭 é")).toBeUndefined();
  });

  it("walks JSON values and names, however deep", () => {
    expect(refusal(() => assertCleanText({ a: [{ b: "x\u0000" }] }, "The body"))).toBe(
      "The body (a.0.b) contains a control character.",
    );
    expect(refusal(() => assertCleanText({ "k\ud800": 1 }, "The body"))).toMatch(/A name in The body/);
    let deep: unknown = "\u0000";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(refusal(() => assertCleanText(deep, "The body"))).toMatch(/control character/);
  });

  it("refuses malformed %-escapes and escaped NULs in a query, accepts any clean text (property)", () => {
    expect(refusal(() => assertCleanQuery("a=%E0%A4%A"))).toMatch(/malformed/);
    expect(refusal(() => assertCleanQuery("a=100%"))).toMatch(/malformed/);
    expect(refusal(() => assertCleanQuery("a=b%00c"))).toMatch(/control character/);
    expect(refusal(() => assertCleanQuery("a%00=b"))).toMatch(/control character/);
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), (fields) => {
        const clean =
          Object.values(fields).every((v) => !unsafeTextReason(v)) &&
          Object.keys(fields).every((k) => !unsafeTextReason(k));
        const refused = refusal(() => assertCleanQuery(new URLSearchParams(fields).toString()));
        expect(refused === undefined).toBe(clean);
      }),
      { seed: 12, numRuns: 300 },
    );
  });

  it("refuses a route's path params with any control character, line feed and tab included, which text fields may hold", () => {
    for (const bad of ["a\nb", "a\tb", "a\rb", "a\u0000b", "a\u007Fb"]) {
      expect(
        refusal(() => assertCleanPath({ id: bad })),
        JSON.stringify(bad),
      ).toBe("The path (id) contains a control character.");
      expect(refusal(() => assertCleanPath({ rest: ["ok", bad] }))).toBeDefined();
    }
    expect(refusal(() => assertCleanText({ note: "line one\nline two\tend" }, "The body"))).toBeUndefined();
    expect(refusal(() => assertCleanPath({ id: "théâtre-1", rest: ["a", "b"] }))).toBeUndefined();
  });

  it("proxy.ts refuses a page path or query that is malformed, and lets a clean one through", async () => {
    const at = (url: string) => refusalOfPageRequest(new NextRequest(`http://localhost:3000${url}`), "req_test1234");
    for (const url of [
      "/orgs/a%00b",
      "/orgs/a%0Ab",
      "/orgs/a%09b",
      "/orgs/a%0D",
      "/orgs/%E0%A4%A",
      "/sign-in?callbackUrl=%00",
      "/sign-in?x=%ZZ",
    ]) {
      const res = at(url);
      expect(res?.status, url).toBe(400);
      expect(await res?.json()).toMatchObject({ error: { code: "BAD_REQUEST", reason: "MALFORMED_INPUT" } });
    }
    expect(at("/orgs/th%C3%A9%C3%A2tre?tab=members&q=a%20b")).toBeUndefined();
  });
});
