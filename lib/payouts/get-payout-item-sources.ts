import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { parseLedgerAccountId } from "@/lib/ledger/accounts";
import { minorUnitsAsNumber } from "@/lib/money/money";

export type SourceLine = {
  entryId: string;
  entryKind: string;
  orderId: string | null;
  occurredAt: Date;
  amountMinor: number; // what this payee got (positive) or gave back (negative) from the entry
  grossMinor: number | null;
  split: { accountId: string; kind: string; orgId: string | null; amountMinor: number }[];
};

/**
 * The drill-down of one payout item: every entry that moved this payee's
 * balance since its previous batch item up to this batch's cut-off (sales,
 * refunds, disputes, returned payouts), each with its whole split. Capped at
 * `limit` lines, newest first; the item's total is the balance, not this page.
 * The item is looked up within its batch, so a page's URL cannot show one
 * batch's item under another batch.
 */
export async function getPayoutItemSources(
  { batchId, itemId }: { batchId: string; itemId: string },
  limit = 200,
): Promise<{
  item: {
    id: string;
    batchId: string;
    orgId: string | null;
    ledgerAccountId: string;
    amountMinor: bigint;
    currency: string;
    /** When the item was made: with its batch (a fork's pages tell the origin's items by it). */
    madeAt: Date;
  };
  lines: SourceLine[];
  truncated: boolean;
}> {
  const found = await db().payoutItem.findFirst({
    where: { id: itemId, batchId },
    include: { batch: { select: { createdAt: true } } },
  });
  if (!found) throw new AppError("NOT_FOUND", { userMessage: "No such payout item.", reason: "ITEM_NOT_FOUND" });
  const { batch, ...row } = found;
  const item = { ...row, madeAt: batch.createdAt };
  const rows = await db().$queryRawUnsafe<
    { entryId: string; kind: string; orderId: string | null; occurredAt: Date; mine: string; gross: bigint | null }[]
  >(
    `SELECT e."id" AS "entryId", e."kind", e."orderId", e."occurredAt", sum(p."amountMinor")::text AS mine, o."amountMinor" AS gross
       FROM "LedgerPosting" p JOIN "JournalEntry" e ON e."id" = p."entryId" LEFT JOIN "PaymentOrder" o ON o."id" = e."orderId"
      WHERE p."accountId" = $1 AND p."id" > $2::bigint AND p."id" <= $3::bigint AND e."kind" <> 'payout'
      GROUP BY e."id", e."kind", e."orderId", e."occurredAt", o."amountMinor"
      ORDER BY e."occurredAt" DESC LIMIT $4`,
    item.ledgerAccountId,
    item.fromPostingId.toString(),
    item.toPostingId.toString(),
    limit + 1,
  );
  const page = rows.slice(0, limit);
  const postings = await db().ledgerPosting.findMany({
    where: { entryId: { in: page.map((r) => r.entryId) } },
    orderBy: { id: "asc" },
  });
  return {
    item,
    truncated: rows.length > limit,
    lines: page.map((r) => ({
      entryId: r.entryId,
      entryKind: r.kind,
      orderId: r.orderId,
      occurredAt: r.occurredAt,
      amountMinor: -Number(r.mine),
      grossMinor: r.gross === null ? null : minorUnitsAsNumber(r.gross),
      split: postings
        .filter((p) => p.entryId === r.entryId)
        .map((p) => {
          const a = parseLedgerAccountId(p.accountId);
          return { accountId: p.accountId, kind: a.kind, orgId: a.orgId ?? null, amountMinor: Number(p.amountMinor) };
        }),
    })),
  };
}
