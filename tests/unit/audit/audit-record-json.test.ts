import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AuditEventRecord, auditEventRecordJson, computeAuditEventHash } from "@/lib/audit/audit-event-hash";
import { canonicalJson } from "@/lib/crypto/canonical-json";
import { sha256Hex } from "@/lib/crypto/hash";
import { auditRecordArbitrary } from "../../support/audit-record-arbitrary";

// Any text, quotes, backslashes, control characters and characters beyond the BMP included.
const awkward = fc.constantFrom('"', "\\", "\u0000", "\u001f", "\u007f", "\u2028", "\ud800", "é", "😀", "a");
const text = fc.oneof(fc.string({ unit: awkward, maxLength: 12 }), fc.string({ unit: "binary", maxLength: 40 }));
const record = auditRecordArbitrary(text);

describe("an audit event's canonical JSON, written out for the record's shape", () => {
  it("is canonicalJson's, for any record", () => {
    fc.assert(
      fc.property(record, (r) => {
        expect(auditEventRecordJson(r)).toBe(canonicalJson(r));
        expect(computeAuditEventHash(r)).toBe(sha256Hex(canonicalJson(r)));
      }),
      { numRuns: 500 },
    );
  });

  it("takes the general path for any other shape, and still gives canonicalJson's", () => {
    const base = fc.sample(record, { numRuns: 1, seed: 14 })[0];
    const others: unknown[] = [
      { ...base, hash: "f".repeat(64) }, // a key added
      { ...base, data: undefined }, // a key whose value is undefined is left out
      (({ requestId: _, ...rest }) => rest)(base), // a key missing
      { ...base, seq: 12 }, // a number where text is expected
      { ...base, actorId: undefined },
    ];
    for (const other of others) expect(auditEventRecordJson(other as AuditEventRecord)).toBe(canonicalJson(other));
  });
});
