import "server-only";
import { computeAuditEventHash, GENESIS_HASH, type AuditEventRecord } from "@/lib/audit/audit-event-hash";

export type ChainVerdict =
  | { ok: true; count: number; headHash: string }
  | { ok: false; count: number; seq: string; id: string; problem: string };

/** Where a check picks up: after event `seq`, whose hash is `hash`, with `count` events verified before. */
export type ChainPosition = { seq: bigint; hash: string; count: number };

export const CHAIN_START: ChainPosition = { seq: 0n, hash: GENESIS_HASH, count: 0 };

/**
 * Checks a sequence of exported events, in order: each hash recomputes from
 * its fields, each prevHash is its predecessor's hash, seq has no gaps. Works
 * on an export alone, so nobody needs to trust the server to run it. `from`
 * continues a check that already verified the events up to a position.
 */
export async function verifyAuditRecords(
  records: AsyncIterable<AuditEventRecord & { hash: string }> | Iterable<AuditEventRecord & { hash: string }>,
  from: ChainPosition = CHAIN_START,
): Promise<ChainVerdict> {
  let prevHash = from.hash;
  let expectedSeq = from.seq + 1n;
  let count = from.count;
  for await (const r of records) {
    const { hash, ...fields } = r;
    if (BigInt(r.seq) !== expectedSeq)
      return {
        ok: false,
        count,
        seq: r.seq,
        id: r.id,
        problem: `expected event ${expectedSeq}, found ${r.seq}: events are missing or reordered`,
      };
    if (r.prevHash !== prevHash)
      return {
        ok: false,
        count,
        seq: r.seq,
        id: r.id,
        problem: "prevHash does not match the previous event's hash: the chain is broken",
      };
    if (computeAuditEventHash(fields) !== hash)
      return {
        ok: false,
        count,
        seq: r.seq,
        id: r.id,
        problem: "hash does not match the event's content: the event was altered",
      };
    prevHash = hash;
    expectedSeq += 1n;
    count += 1;
  }
  return { ok: true, count, headHash: prevHash };
}
