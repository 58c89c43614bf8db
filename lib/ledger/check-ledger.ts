import "server-only";
import { db } from "@/lib/db/client";

export type LedgerCheck = { ok: boolean; entries: number; postings: number; problems: string[] };

/**
 * Verifies the ledger's invariants on a live database, independently of the
 * triggers that should have enforced them: every entry has two or more
 * postings summing to zero per currency, postings carry their account's
 * currency, reversals reverse exactly, and all balances together sum to zero.
 */
export async function checkLedger(): Promise<LedgerCheck> {
  const problems: string[] = [];
  const q = <T>(sql: string) => db().$queryRawUnsafe<T[]>(sql);
  const [counts] = await q<{ entries: string; postings: string }>(
    `SELECT (SELECT count(*) FROM "JournalEntry")::text AS entries, (SELECT count(*) FROM "LedgerPosting")::text AS postings`,
  );
  for (const r of await q<{ id: string; n: string }>(
    `SELECT e."id", count(p."id")::text AS n FROM "JournalEntry" e LEFT JOIN "LedgerPosting" p ON p."entryId" = e."id" GROUP BY e."id" HAVING count(p."id") < 2 LIMIT 20`,
  ))
    problems.push(`entry ${r.id} has ${r.n} posting(s)`);
  for (const r of await q<{ entryId: string; currency: string; s: string }>(
    `SELECT "entryId", "currency", sum("amountMinor")::text AS s FROM "LedgerPosting" GROUP BY "entryId", "currency" HAVING sum("amountMinor") <> 0 LIMIT 20`,
  ))
    problems.push(`entry ${r.entryId} sums to ${r.s} in ${r.currency}`);
  for (const r of await q<{ id: string }>(
    `SELECT p."id"::text AS id FROM "LedgerPosting" p JOIN "LedgerAccount" a ON a."id" = p."accountId" WHERE a."currency" <> p."currency" OR p."amountMinor" = 0 LIMIT 20`,
  ))
    problems.push(`posting ${r.id} has a zero amount or a currency other than its account's`);
  for (const r of await q<{ id: string }>(
    `SELECT r."id" FROM "JournalEntry" r
      WHERE r."reversesEntryId" IS NOT NULL AND EXISTS (
        SELECT 1 FROM (
          SELECT "accountId", sum("amountMinor") AS s FROM "LedgerPosting" WHERE "entryId" IN (r."id", r."reversesEntryId") GROUP BY "accountId"
        ) t WHERE t.s <> 0) LIMIT 20`,
  ))
    problems.push(`reversal ${r.id} does not exactly negate the entry it reverses`);
  for (const r of await q<{ currency: string; s: string }>(
    `SELECT "currency", sum("amountMinor")::text AS s FROM "LedgerPosting" GROUP BY "currency" HAVING sum("amountMinor") <> 0`,
  ))
    problems.push(`balances sum to ${r.s} in ${r.currency}`);
  return { ok: problems.length === 0, entries: Number(counts.entries), postings: Number(counts.postings), problems };
}
