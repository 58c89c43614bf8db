import { formatMoney } from "@/lib/money/format-money";

export type ChartBar = { label: string; amountMinor: number; color: string };

/**
 * Where the money went, as plain SVG bars (no chart library): one bar per
 * recipient group, labelled with its amount and share of the total.
 */
export function MoneyChart({ bars, currency, title }: { bars: ChartBar[]; currency: string; title: string }) {
  const total = bars.reduce((s, b) => s + Math.max(0, b.amountMinor), 0);
  const rowHeight = 28;
  const labelWidth = 170;
  const width = 640;
  const barMax = width - labelWidth - 150;
  const height = bars.length * rowHeight + 8;
  return (
    <figure className="card" data-testid="money-chart">
      <figcaption className="mb-2 text-sm font-medium">{title}</figcaption>
      <svg role="img" aria-label={title} viewBox={`0 0 ${width} ${height}`} width="100%" style={{ maxWidth: width }}>
        {bars.map((b, i) => {
          const w = total > 0 ? Math.max(1, (Math.max(0, b.amountMinor) / total) * barMax) : 0;
          const y = i * rowHeight + 4;
          const share = total > 0 ? ((Math.max(0, b.amountMinor) / total) * 100).toFixed(1) : "0.0";
          return (
            <g key={b.label}>
              <text x={0} y={y + 16} fontSize="12" fill="#1f1d1a">
                {b.label}
              </text>
              <rect x={labelWidth} y={y} width={w} height={rowHeight - 8} rx={3} fill={b.color} />
              <text x={labelWidth + w + 6} y={y + 16} fontSize="12" fill="#57534e">
                {formatMoney(b.amountMinor, currency)} · {share}%
              </text>
            </g>
          );
        })}
      </svg>
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
