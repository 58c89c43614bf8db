import { emailLayout, escapeHtml, type RenderedEmail } from "./layout";
import { formatMoney } from "@/lib/money/format-money";

type Line = { id: string; amountMinor: bigint; currency: string; status: string; failureReason?: string | null };

function lineWords(l: Line): string {
  if (l.status === "posted") return "paid";
  if (l.status === "failed")
    return `not paid (${l.failureReason ?? "refused"}): it stays owed to you and will be sent again`;
  return l.status;
}

export function payeeStatementEmail(p: {
  orgName: string;
  batchId: string;
  lines: Line[];
  csv: string;
}): RenderedEmail {
  const rows = p.lines.map((l) => `${l.id}: ${formatMoney(l.amountMinor, l.currency)} ${lineWords(l)}`);
  return {
    subject: `Guildhall payout statement for ${p.orgName} (${p.batchId})`,
    text: `Payout batch ${p.batchId} for ${p.orgName}:\n${rows.join("\n")}\n\nStatement (CSV):\n${p.csv}`,
    html: emailLayout(
      `Payout statement: ${p.orgName}`,
      `<p>Batch ${escapeHtml(p.batchId)}:</p><ul>${rows.map((r) => `<li>${escapeHtml(r)}</li>`).join("")}</ul><pre style="font-size:11px">${escapeHtml(p.csv)}</pre>`,
    ),
  };
}

type Failure = { payee: string; amountMinor: bigint; currency: string; reason: string };

const headlines: Record<string, string> = {
  completed: "every transfer was paid",
  partly_failed: "some transfers failed",
  failed: "every transfer failed, nothing was paid",
};

/** Finance's summary of a finished batch: what was paid, and each failed transfer with its reason. */
export function batchSummaryEmail(p: {
  batch: { id: string; status: string; totalMinor: bigint; currency: string; itemCount: number };
  failures: Failure[];
  csv: string;
}): RenderedEmail {
  const total = formatMoney(p.batch.totalMinor, p.batch.currency);
  const headline = headlines[p.batch.status] ?? p.batch.status;
  const paid = p.batch.itemCount - p.failures.length;
  const summary = `${paid} of ${p.batch.itemCount} ${p.batch.itemCount === 1 ? "transfer" : "transfers"} paid, of a batch of ${total}.`;
  const failed = p.failures.map((f) => `${f.payee}: ${formatMoney(f.amountMinor, f.currency)} not paid (${f.reason})`);
  const next =
    p.failures.length > 0
      ? "Once the cause is fixed (for a missing payout account: the payee connects one on its Payouts page), retry the failed transfers on the batch's page."
      : "";
  return {
    subject: `Guildhall payout batch ${p.batch.id}: ${headline}`,
    text: [summary, ...failed, next, `Batch (CSV):\n${p.csv}`].filter(Boolean).join("\n\n"),
    html: emailLayout(
      `Payout batch ${p.batch.id}: ${headline}`,
      `<p>${escapeHtml(summary)}</p>${
        failed.length
          ? `<ul>${failed.map((f) => `<li>${escapeHtml(f)}</li>`).join("")}</ul><p>${escapeHtml(next)}</p>`
          : ""
      }<pre style="font-size:11px">${escapeHtml(p.csv)}</pre>`,
    ),
  };
}
