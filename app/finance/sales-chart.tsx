import { formatMoney } from "@/lib/money/format-money";
import type { DailySales } from "@/lib/payments/sales-by-day";

/**
 * Paid sales per day over the last weeks, one currency, as HTML columns (no
 * chart library): each day a column as tall as its share of the best day,
 * with its date and amount in a tooltip and in the table that screen readers
 * get instead of the picture. Days without sales are drawn empty, so gaps show.
 */
export function SalesChart({
  sales,
  currency,
  days,
  now = new Date(),
}: {
  sales: DailySales[];
  currency: string;
  days: number;
  now?: Date;
}) {
  const byDay = new Map(sales.filter((s) => s.currency === currency).map((s) => [s.day, s]));
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const series = Array.from({ length: days }, (_, i) => {
    const day = new Date(today - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    return { day, amountMinor: byDay.get(day)?.amountMinor ?? 0n, orders: byDay.get(day)?.orders ?? 0 };
  });
  // Math.max takes no bigint.
  let max = 0n;
  for (const s of series) if (s.amountMinor > max) max = s.amountMinor;
  const total = series.reduce((t, s) => t + s.amountMinor, 0n);
  const orders = series.reduce((t, s) => t + s.orders, 0);
  return (
    <figure className="card" data-testid="sales-chart">
      <figcaption className="mb-3 flex flex-wrap justify-between gap-x-4 text-sm">
        <span className="font-medium">
          Paid sales per day ({currency}, last {days} days)
        </span>
        <span className="text-stone-600">
          {formatMoney(total, currency)} in {orders} {orders === 1 ? "order" : "orders"}
        </span>
      </figcaption>
      <div className="flex h-32 items-end gap-px border-b border-stone-300" aria-hidden="true">
        {series.map((s) => (
          <div
            key={s.day}
            className="flex-1 rounded-t bg-accent"
            title={`${s.day}: ${formatMoney(s.amountMinor, currency)}`}
            style={{ height: max > 0n ? `${Number((s.amountMinor * 1000n) / max) / 10}%` : "0%" }}
          />
        ))}
      </div>
      <div className="mt-1 flex justify-between text-xs text-stone-600" aria-hidden="true">
        <span>{series[0].day}</span>
        <span>{series[series.length - 1].day}</span>
      </div>
      <table className="sr-only">
        <caption>Paid sales per day</caption>
        <thead>
          <tr>
            <th>Day</th>
            <th>Amount</th>
            <th>Orders</th>
          </tr>
        </thead>
        <tbody>
          {series
            .filter((s) => s.orders > 0)
            .map((s) => (
              <tr key={s.day}>
                <td>{s.day}</td>
                <td>{formatMoney(s.amountMinor, currency)}</td>
                <td>{s.orders}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </figure>
  );
}
