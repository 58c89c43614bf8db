import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { getAccountBalances } from "@/lib/ledger/get-account-balances";
import { payableKinds } from "@/lib/ledger/accounts";
import type { StatementChannel } from "@/lib/payment-provider/payment-channels";

/**
 * A payee organization's statement: what it is owed now per currency (a
 * negative balance is carried into its next payout), its payout items with
 * their batches, and its latest ledger lines, each with the channel its money came in through. The caller checks that the
 * viewer administers this organization (or is finance).
 */
export async function getPayeeStatement(orgId: string, opts: { lines?: number } = {}) {
  const org = await db().organization.findUnique({
    where: { id: orgId },
    select: { id: true, name: true, slug: true, kind: true },
  });
  if (!org) throw new AppError("NOT_FOUND", { userMessage: "No such organization." });
  const balances = (await getAccountBalances({ orgId, kinds: [...payableKinds] })).map((b) => ({
    ...b,
    owedMinor: -b.balanceMinor,
  }));
  const items = await db().payoutItem.findMany({
    where: { orgId },
    orderBy: { id: "desc" },
    take: 100,
    include: { batch: { select: { id: true, status: true, createdAt: true } } },
  });
  const lines = await db().$queryRawUnsafe<
    {
      entryId: string;
      kind: string;
      orderId: string | null;
      channel: StatementChannel | null;
      occurredAt: Date;
      amount: string;
      currency: string;
    }[]
  >(
    // The channel is the order's provider, or "funding" for a funder's payment (and the reversal of one);
    // a payout has none.
    `SELECT e."id" AS "entryId", e."kind", e."orderId",
            CASE WHEN e."kind" = 'funding' OR r."kind" = 'funding' THEN 'funding' ELSE o."provider" END AS channel,
            e."occurredAt", (-p."amountMinor")::text AS amount, p."currency"
       FROM "LedgerPosting" p JOIN "JournalEntry" e ON e."id" = p."entryId"
       LEFT JOIN "JournalEntry" r ON r."id" = e."reversesEntryId"
       LEFT JOIN "PaymentOrder" o ON o."id" = e."orderId"
      WHERE p."accountId" IN (SELECT "id" FROM "LedgerAccount" WHERE "orgId" = $1)
      ORDER BY p."id" DESC LIMIT $2`,
    orgId,
    opts.lines ?? 100,
  );
  const payee = await db().payeeAccount.findUnique({ where: { orgId } });
  return {
    org,
    balances,
    items,
    lines: lines.map((l) => ({ ...l, amountMinor: Number(l.amount) })),
    payee: payee ? { onboardingStatus: payee.onboardingStatus, provider: payee.provider } : null,
  };
}
