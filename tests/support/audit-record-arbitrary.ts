import fc from "fast-check";
import type { AuditEventRecord } from "@/lib/audit/audit-event-hash";

type FieldArbitraries = { [K in keyof AuditEventRecord]?: fc.Arbitrary<AuditEventRecord[K]> };

/**
 * Random audit event records for property tests: every text field drawn from `text`, the seq a positive 64-bit
 * number, the time a valid ISO date, data null or any JSON; `fields` replaces the draw of any field (a test that
 * needs known actions or personal keys).
 */
export function auditRecordArbitrary(
  text: fc.Arbitrary<string>,
  fields: FieldArbitraries = {},
): fc.Arbitrary<AuditEventRecord> {
  return fc.record({
    seq: fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }).map(String),
    id: text,
    occurredAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    actorType: text,
    actorId: fc.option(text, { nil: null }),
    action: text,
    subjectType: text,
    subjectId: text,
    stateDigest: text,
    data: fc.oneof(fc.constant(null), fc.jsonValue(), fc.dictionary(text, fc.jsonValue())),
    requestId: fc.option(text, { nil: null }),
    prevHash: text,
    ...fields,
  } as { [K in keyof AuditEventRecord]: fc.Arbitrary<AuditEventRecord[K]> });
}
