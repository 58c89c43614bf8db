import canonicalize from "canonicalize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildLogEntry, canonicalLogJson } from "@/lib/transparency/build-log-entry";
import { PERSONAL_DATA_KEYS_BY_ACTION, PUBLIC_STATE_SUBJECT_TYPES } from "@/lib/transparency/log-entry-rules";
import { auditRecordArbitrary } from "../../support/audit-record-arbitrary";

// Well-formed text of any kind (quotes, backslashes, control characters, characters beyond the BMP).
const awkward = fc.constantFrom('"', "\\", "\u0000", "\u001f", "\u007f", "\u2028", "é", "😀", "a");
const text = fc.oneof(
  fc.string({ unit: awkward, maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 30 }).filter((s) => s.isWellFormed()),
  fc.string({ unit: "grapheme", maxLength: 30 }),
);
const jsonData = fc.oneof(
  fc.constant(null),
  fc.jsonValue(),
  // Keys the entry commits: email at any depth, and the personal keys of some actions.
  fc.dictionary(fc.oneof(text, fc.constantFrom("email", "name", "reason", "from", "to")), fc.jsonValue()),
  fc.record({ email: text, nested: fc.record({ email: text, n: fc.integer() }) }),
);
const record = auditRecordArbitrary(text, {
  action: fc.oneof(text, fc.constantFrom(...Object.keys(PERSONAL_DATA_KEYS_BY_ACTION))),
  subjectType: fc.oneof(text, fc.constantFrom(...PUBLIC_STATE_SUBJECT_TYPES, "user", "order")),
  data: jsonData,
});

describe("a log entry's bytes, written out for the entry's shape", () => {
  it("are RFC 8785's canonicalization (the canonicalize package) of the entry, for any event", () => {
    fc.assert(
      fc.property(record, (r) => {
        const built = buildLogEntry(r);
        expect(built.body).toBe(canonicalize(built.entry));
      }),
      { numRuns: 500 },
    );
  });

  it("summarize data too long for an entry bundle as its digest, as before", () => {
    const built = buildLogEntry({
      ...fc.sample(record, { numRuns: 1, seed: 14 })[0],
      data: { notes: "é".repeat(40_000) },
    });
    expect(Buffer.byteLength(built.body)).toBeLessThanOrEqual(65_535);
    expect(built.entry.data).toEqual({ digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(built.body).toBe(canonicalize(built.entry));
  });

  it("refuse a lone surrogate, as canonicalize does", () => {
    const r = { ...fc.sample(record, { numRuns: 1, seed: 14 })[0], subjectId: "\uD800" };
    expect(() => buildLogEntry(r)).toThrow(/Lone surrogate/);
    expect(() => canonicalize({ subjectId: "\uD800" })).toThrow(/Lone surrogate/);
  });
});

describe("canonicalLogJson", () => {
  it("is canonicalize's for any JSON value, strings included", () => {
    const value = fc.oneof(
      fc.jsonValue(),
      fc.string({ unit: "binary" }).filter((s) => s.isWellFormed()),
    );
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalLogJson(v)).toBe(canonicalize(v));
      }),
      { numRuns: 500 },
    );
    expect(() => canonicalLogJson("a\uDC00")).toThrow(/Lone surrogate/);
  });
});
