import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { auditActorOf, type Actor } from "@/lib/access/actor";
import { requireFinanceUser } from "@/lib/payouts/require-finance-user";
import { payableKinds } from "@/lib/ledger/accounts";
import { currencySchema } from "@/lib/money/currency";
import { advisoryLockIds, lockForTransaction } from "@/lib/db/advisory-locks";

const batchInputSchema = z
  .object({ currency: currencySchema, periodStart: z.coerce.date().optional(), periodEnd: z.coerce.date().optional() })
  .refine((b) => !b.periodStart || !b.periodEnd || b.periodStart < b.periodEnd, {
    message: "the period must end after it starts",
    path: ["periodEnd"],
  });

// Batch creation is serialized so two finance users cannot put one balance in two batches.

/**
 * Proposes what each payee is owed, as one set-based query over the postings:
 * a payee's item is its payable balance (all postings of entries before the
 * period's end, or all postings on demand; payouts always count, so a later
 * batch never pays the same money again). Payees whose balance is zero or
 * negative get no item: a negative balance carries to the next batch by
 * itself, since balances are derived. Payees with an item still pending in an
 * earlier batch wait for it. The posting table is locked against inserts for
 * the few statements that read the cut-off, so a sale committing meanwhile is
 * wholly in this batch or wholly in the next.
 */
export async function createPayoutBatch({ actor, ...input }: { actor: Actor } & z.input<typeof batchInputSchema>) {
  const params = batchInputSchema.parse(input);
  return db().$transaction(
    async (tx) => {
      await requireFinanceUser(tx, actor);
      await lockForTransaction(tx, advisoryLockIds.payoutBatchCreation);
      await tx.$executeRawUnsafe(`LOCK TABLE "LedgerPosting" IN SHARE MODE`);
      const [{ cutoff }] = await tx.$queryRawUnsafe<{ cutoff: string }[]>(
        `SELECT COALESCE(max("id"), 0)::text AS cutoff FROM "LedgerPosting"`,
      );
      const rows = await tx.$queryRawUnsafe<
        { accountId: string; orgId: string | null; owed: string; fromId: string }[]
      >(
        `WITH balances AS (
           SELECT p."accountId", -sum(p."amountMinor") AS owed
             FROM "LedgerPosting" p
             ${params.periodEnd ? `JOIN "JournalEntry" e ON e."id" = p."entryId"` : ""}
            WHERE p."currency" = $1 AND p."id" <= $2::bigint
              AND p."accountId" IN (SELECT "id" FROM "LedgerAccount" WHERE "kind" = ANY($3::text[]) AND "currency" = $1)
              ${params.periodEnd ? `AND (e."occurredAt" < $4 OR e."kind" IN ('payout', 'reversal'))` : ""}
            GROUP BY p."accountId")
         SELECT b."accountId", a."orgId", b.owed::text AS owed,
                COALESCE((SELECT max(i."toPostingId") FROM "PayoutItem" i WHERE i."ledgerAccountId" = b."accountId"), 0)::text AS "fromId"
           FROM balances b JOIN "LedgerAccount" a ON a."id" = b."accountId"
          WHERE b.owed > 0
            AND NOT EXISTS (SELECT 1 FROM "PayoutItem" i WHERE i."ledgerAccountId" = b."accountId" AND i."status" = 'pending')
          ORDER BY b."accountId"`,
        params.currency,
        cutoff,
        payableKinds,
        ...(params.periodEnd ? [params.periodEnd] : []),
      );
      if (rows.length === 0)
        throw new AppError("UNPROCESSABLE", {
          userMessage: `Nobody is owed anything in ${params.currency} now.`,
          reason: "NOTHING_TO_PAY",
        });
      const batchId = newId("po");
      const total = rows.reduce((s, r) => s + BigInt(r.owed), 0n);
      const batch = await tx.payoutBatch.create({
        data: {
          id: batchId,
          currency: params.currency,
          periodStart: params.periodStart,
          periodEnd: params.periodEnd,
          cutoffPostingId: BigInt(cutoff),
          totalMinor: total,
          itemCount: rows.length,
          // A system actor that names no part of Guildhall is recorded by its type.
          createdById: actor.id,
        },
      });
      await tx.payoutItem.createMany({
        data: rows.map((r) => ({
          id: newId("poi"),
          batchId,
          ledgerAccountId: r.accountId,
          orgId: r.orgId,
          amountMinor: BigInt(r.owed),
          currency: params.currency,
          fromPostingId: BigInt(r.fromId),
          toPostingId: BigInt(cutoff),
        })),
      });
      await appendAuditEvent(tx, {
        actor: auditActorOf(actor),
        action: "payout_batch.created",
        subject: { type: "payout_batch", id: batchId },
        state: { currency: params.currency, cutoff, items: rows.map((r) => [r.accountId, r.owed]) },
        data: { currency: params.currency, totalMinor: total.toString(), itemCount: rows.length },
      });
      return batch;
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
