import "server-only";
import { db } from "@/lib/db/client";

export type DailySales = { day: string; currency: string; amountMinor: bigint; orders: number };

/**
 * Paid sales per day (UTC) and currency over the last `days` days, oldest
 * first, for the finance overview's chart; a day without sales is absent and
 * the chart draws it empty. Grouped in the database, so the cost follows the
 * number of days, not of orders.
 */
export async function salesByDay(days = 30, now = new Date()): Promise<DailySales[]> {
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (days - 1) * 86_400_000);
  const rows = await db().$queryRaw<{ day: Date; currency: string; amount: bigint; orders: bigint }[]>`
    SELECT date_trunc('day', "paidAt" AT TIME ZONE 'UTC') AS "day", "currency",
           sum("amountMinor")::bigint AS "amount", count(*)::bigint AS "orders"
    FROM "PaymentOrder"
    WHERE "status" = 'paid' AND "paidAt" >= ${since}
    GROUP BY 1, 2
    ORDER BY 1, 2`;
  return rows.map((r) => ({
    day: new Date(r.day).toISOString().slice(0, 10),
    currency: r.currency,
    amountMinor: BigInt(r.amount),
    orders: Number(r.orders),
  }));
}
