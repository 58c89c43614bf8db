import "server-only";
import { z } from "zod";
import { db, type Prisma } from "@/lib/db/client";
import { createdOnDays, olderThan, pageOf } from "@/lib/db/newest-first-page";

export const payoutBatchStatuses = [
  "draft",
  "approved",
  "executing",
  "completed",
  "partly_failed",
  "failed",
  "voided",
] as const;

/** What finance filters the batch list by (all optional; dates are UTC days, both ends inclusive). */
export const payoutBatchFilterSchema = z.object({
  status: z.enum(payoutBatchStatuses).optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "a three-letter currency code")
    .optional(),
  from: z.iso.date().optional(), // proposed on or after this day
  to: z.iso.date().optional(), // proposed on or before this day
  before: z.string().max(100).optional(), // the id of the last batch on the previous page
});
export type PayoutBatchFilter = z.infer<typeof payoutBatchFilterSchema>;

/**
 * A page of payout batches, newest first, filtered, each with its approvals
 * and how many of its transfers failed; the next page starts after the last
 * batch shown (keyset paging on createdAt, then id). Permission is the
 * caller's to check (finance).
 */
export async function listPayoutBatches(filter: PayoutBatchFilter = {}, limit = 50) {
  const f = payoutBatchFilterSchema.parse(filter);
  const cursor = f.before
    ? await db().payoutBatch.findUnique({ where: { id: f.before }, select: { id: true, createdAt: true } })
    : null;
  const where: Prisma.PayoutBatchWhereInput = {
    ...(f.status ? { status: f.status } : {}),
    ...(f.currency ? { currency: f.currency } : {}),
    ...createdOnDays(f.from, f.to),
    ...olderThan(cursor),
  };
  const rows = await db().payoutBatch.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    include: {
      approvals: { select: { userId: true } },
      _count: { select: { items: { where: { status: "failed" } } } },
    },
  });
  const page = pageOf(rows, limit);
  return { batches: page.rows, nextBefore: page.nextBefore };
}

/** The currencies batches were proposed in, for the list's filter. */
export async function listPayoutBatchCurrencies(): Promise<string[]> {
  const rows = await db().payoutBatch.findMany({ distinct: ["currency"], select: { currency: true } });
  return rows.map((r) => r.currency).sort();
}
