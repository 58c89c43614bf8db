import { emailLayout, escapeHtml, type RenderedEmail } from "./layout";
import { formatMoney } from "@/lib/money/format-money";

type Line = { id: string; amountMinor: bigint; currency: string; status: string };

export function payeeStatementEmail(p: {
  orgName: string;
  batchId: string;
  lines: Line[];
  csv: string;
}): RenderedEmail {
  const rows = p.lines.map((l) => `${l.id}: ${formatMoney(l.amountMinor, l.currency)} (${l.status})`);
  return {
    subject: `Guildhall payout statement for ${p.orgName} (${p.batchId})`,
    text: `Payout batch ${p.batchId} for ${p.orgName}:\n${rows.join("\n")}\n\nStatement (CSV):\n${p.csv}`,
    html: emailLayout(
      `Payout statement: ${p.orgName}`,
      `<p>Batch ${escapeHtml(p.batchId)}:</p><ul>${rows.map((r) => `<li>${escapeHtml(r)}</li>`).join("")}</ul><pre style="font-size:11px">${escapeHtml(p.csv)}</pre>`,
    ),
  };
}

export function batchSummaryEmail(p: {
  batch: { id: string; totalMinor: bigint; currency: string; itemCount: number };
  csv: string;
}): RenderedEmail {
  const total = formatMoney(p.batch.totalMinor, p.batch.currency);
  return {
    subject: `Guildhall payout batch ${p.batch.id} completed: ${total}`,
    text: `Payout batch ${p.batch.id} completed: ${p.batch.itemCount} item(s), ${total}.\n\nBatch (CSV):\n${p.csv}`,
    html: emailLayout(
      `Payout batch ${p.batch.id} completed`,
      `<p>${p.batch.itemCount} item(s), ${escapeHtml(total)}.</p><pre style="font-size:11px">${escapeHtml(p.csv)}</pre>`,
    ),
  };
}
