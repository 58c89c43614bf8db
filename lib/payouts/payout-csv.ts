import "server-only";
import { parseLedgerAccountId } from "@/lib/ledger/accounts";
import { limits } from "@/lib/config/limits";

/** RFC 4180 field quoting; a leading =,+,-,@ is prefixed with ' so a spreadsheet never runs it as a formula. */
export function csvField(v: unknown): string {
  let s =
    v === null || v === undefined
      ? ""
      : typeof v === "bigint"
        ? v.toString()
        : v instanceof Date
          ? v.toISOString()
          : String(v);
  if (/^[=+\-@]/.test(s) && !/^-?\d+$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRows(header: string[], rows: unknown[][]): string {
  return `${[header, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n")}\r\n`;
}

type Item = {
  id: string;
  ledgerAccountId: string;
  orgId: string | null;
  amountMinor: bigint;
  currency: string;
  status: string;
  providerTransferId: string | null;
  failureReason: string | null;
  postedAt: Date | null;
};

/**
 * A batch's state as the CSV says it: a draft is "awaiting_approval", with
 * how many of the approvals it needs it has (`approvals`), so a spreadsheet
 * read at 1 of 2 approvals does not say "draft" as if nobody had acted.
 */
function batchStatusForCsv(status: string): string {
  return status === "draft" ? "awaiting_approval" : status;
}

export function payoutBatchCsv(
  batch: { id: string; status: string; currency: string; approvals?: unknown[] },
  items: Item[],
  orgNames: Map<string, string>,
): string {
  const approvals = `${batch.approvals?.length ?? 0} of ${limits.approvals.payoutBatch}`;
  return csvRows(
    [
      "batch_id",
      "batch_status",
      "item_id",
      "payee_kind",
      "payee_org_id",
      "payee_name",
      "amount_minor",
      "currency",
      "item_status",
      "transfer_id",
      "failure_reason",
      "posted_at",
      "batch_approvals",
    ],
    items.map((i) => {
      const kind = parseLedgerAccountId(i.ledgerAccountId).kind;
      return [
        batch.id,
        batchStatusForCsv(batch.status),
        i.id,
        kind,
        i.orgId,
        i.orgId ? (orgNames.get(i.orgId) ?? "") : "Developers' fund",
        i.amountMinor,
        i.currency,
        i.status,
        i.providerTransferId,
        i.failureReason,
        i.postedAt,
        approvals,
      ];
    }),
  );
}

export function payeeStatementCsv(lines: (Item & { batchId: string; batchCreatedAt: Date })[]): string {
  return csvRows(
    ["batch_id", "batch_created_at", "item_id", "amount_minor", "currency", "status", "transfer_id", "posted_at"],
    lines.map((l) => [
      l.batchId,
      l.batchCreatedAt,
      l.id,
      l.amountMinor,
      l.currency,
      l.status,
      l.providerTransferId,
      l.postedAt,
    ]),
  );
}
