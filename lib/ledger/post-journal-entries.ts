import "server-only";
import type { Tx } from "@/lib/db/client";
import { newSortableId } from "@/lib/ids";
import { ledgerAccountId, type AccountRef } from "@/lib/ledger/accounts";

export type PostingInput = AccountRef & { amountMinor: bigint | number };

export type JournalEntryInput = {
  id?: string;
  kind: "sale" | "funding" | "refund" | "dispute" | "payout" | "reversal";
  orderId?: string | null;
  payoutItemId?: string | null;
  reversesEntryId?: string | null;
  memo: string;
  postings: PostingInput[];
};

/**
 * Checks what the database checks again at commit (two or more postings, sum
 * zero per currency, no zero postings), so a programmer's error fails here with
 * a readable message rather than at COMMIT.
 */
export function assertBalanced(entry: JournalEntryInput): void {
  if (entry.postings.length < 2) throw new Error(`journal entry "${entry.memo}" needs two or more postings`);
  const sums = new Map<string, bigint>();
  for (const p of entry.postings) {
    const amount = BigInt(p.amountMinor);
    if (amount === 0n) throw new Error(`journal entry "${entry.memo}" has a zero posting`);
    if (!/^[A-Z]{3}$/.test(p.currency)) throw new Error(`bad currency ${p.currency}`);
    sums.set(p.currency, (sums.get(p.currency) ?? 0n) + amount);
  }
  for (const [currency, sum] of sums)
    if (sum !== 0n) throw new Error(`journal entry "${entry.memo}" sums to ${sum} in ${currency}`);
}

/**
 * Writes journal entries and their postings with three set-based statements
 * whatever the number of entries (unnest of arrays), so recording a thousand
 * sales costs about what recording one does. Accounts are created on first use.
 * Zero postings are dropped first: a split part of zero moves no money.
 */
export async function postJournalEntries(tx: Tx, entries: JournalEntryInput[]): Promise<string[]> {
  if (entries.length === 0) return [];
  const accounts = new Map<string, AccountRef>();
  const e = {
    id: [] as string[],
    kind: [] as string[],
    orderId: [] as (string | null)[],
    payoutItemId: [] as (string | null)[],
    reverses: [] as (string | null)[],
    memo: [] as string[],
  };
  const p = { entryId: [] as string[], accountId: [] as string[], currency: [] as string[], amount: [] as string[] };
  for (const entry of entries) {
    const postings = entry.postings.filter((x) => BigInt(x.amountMinor) !== 0n);
    const cleaned = { ...entry, postings };
    assertBalanced(cleaned);
    const id = entry.id ?? newSortableId("je");
    e.id.push(id);
    e.kind.push(entry.kind);
    e.orderId.push(entry.orderId ?? null);
    e.payoutItemId.push(entry.payoutItemId ?? null);
    e.reverses.push(entry.reversesEntryId ?? null);
    e.memo.push(entry.memo);
    for (const posting of postings) {
      const accountId = ledgerAccountId(posting);
      accounts.set(accountId, posting);
      p.entryId.push(id);
      p.accountId.push(accountId);
      p.currency.push(posting.currency);
      p.amount.push(BigInt(posting.amountMinor).toString());
    }
  }
  const acc = [...accounts.entries()];
  await tx.$executeRawUnsafe(
    `INSERT INTO "LedgerAccount" ("id", "kind", "orgId", "currency")
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ON CONFLICT ("id") DO NOTHING`,
    acc.map(([id]) => id),
    acc.map(([, a]) => a.kind),
    acc.map(([, a]) => a.orgId ?? null),
    acc.map(([, a]) => a.currency),
  );
  await tx.$executeRawUnsafe(
    `INSERT INTO "JournalEntry" ("id", "kind", "orderId", "payoutItemId", "reversesEntryId", "memo")
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
    e.id,
    e.kind,
    e.orderId,
    e.payoutItemId,
    e.reverses,
    e.memo,
  );
  await tx.$executeRawUnsafe(
    `INSERT INTO "LedgerPosting" ("entryId", "accountId", "currency", "amountMinor")
     SELECT a, b, c, d::bigint FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(a, b, c, d)`,
    p.entryId,
    p.accountId,
    p.currency,
    p.amount,
  );
  return e.id;
}
