import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { parseLedgerAccountId, toSafeNumber, type AccountRef } from "@/lib/ledger/accounts";

export type AccountBalance = AccountRef & { accountId: string; balanceMinor: number; postingCount: number };

/**
 * Balances derived from the postings (debit positive). Nothing stores a
 * balance: it is always the sum of what was posted.
 */
export async function getAccountBalances(
  opts: { orgId?: string; kinds?: string[] } = {},
  tx?: Tx,
): Promise<AccountBalance[]> {
  const client = tx ?? db();
  const rows = await client.$queryRawUnsafe<{ accountId: string; balance: string; n: string }[]>(
    `SELECT a."id" AS "accountId", COALESCE(sum(p."amountMinor"), 0)::text AS balance, count(p."id")::text AS n
       FROM "LedgerAccount" a LEFT JOIN "LedgerPosting" p ON p."accountId" = a."id"
      WHERE ($1::text IS NULL OR a."orgId" = $1) AND ($2::text[] IS NULL OR a."kind" = ANY($2::text[]))
      GROUP BY a."id" ORDER BY a."id"`,
    opts.orgId ?? null,
    opts.kinds ?? null,
  );
  return rows.map((r) => ({
    ...parseLedgerAccountId(r.accountId),
    accountId: r.accountId,
    balanceMinor: toSafeNumber(r.balance),
    postingCount: Number(r.n),
  }));
}
