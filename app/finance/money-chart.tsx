import { formatMoney } from "@/lib/money/format-money";

export type ChartBar = { label: string; amountMinor: number; color: string };

/**
 * Where the money went, as bars drawn with plain HTML (no chart library): one
 * row per recipient group, its name and amount in the page's own text size
 * above a bar as long as its share of the total. Text in a scaled SVG shrank
 * with the screen and could not be read on a phone.
 */
export function MoneyChart({ bars, currency, title }: { bars: ChartBar[]; currency: string; title: string }) {
  const total = bars.reduce((s, b) => s + Math.max(0, b.amountMinor), 0);
  return (
    <figure className="card" data-testid="money-chart">
      <figcaption className="mb-3 text-sm font-medium">{title}</figcaption>
      <ul className="space-y-3">
        {bars.map((b) => {
          const share = total > 0 ? (Math.max(0, b.amountMinor) / total) * 100 : 0;
          return (
            <li key={b.label}>
              <div className="flex flex-wrap justify-between gap-x-3 text-sm">
                <span>{b.label}</span>
                <span className="text-stone-600">
                  {formatMoney(b.amountMinor, currency)} · {share.toFixed(1)}%
                </span>
              </div>
              <div className="mt-1 h-3 rounded bg-stone-100" aria-hidden="true">
                <div
                  className="h-3 rounded"
                  style={{ width: `${share > 0 ? Math.max(0.5, share) : 0}%`, backgroundColor: b.color }}
                />
              </div>
            </li>
          );
        })}
      </ul>
    </figure>
  );
}

export const kindColors: Record<string, string> = {
  theater_payable: "#7a2e1d",
  host_payable: "#2f5d8a",
  developers_fund: "#3f7d4e",
  org_operations: "#a27b2c",
  processor_fees: "#78716c",
  refunds: "#b91c1c",
};

export const kindLabels: Record<string, string> = {
  theater_payable: "Theaters",
  host_payable: "Hosts",
  developers_fund: "Developers' fund",
  org_operations: "Org operations",
  processor_fees: "Processor fees",
  refunds: "Refunds",
  processor_clearing: "Processor clearing",
};
