import "server-only";
/**
 * The ledger's chart of accounts. An account is identified by its kind, the
 * organization it belongs to (payables only) and its currency, so the id can be
 * computed instead of looked up: bulk recording never reads an account row.
 */
export const ledgerAccountKinds = [
  "processor_clearing", // cash held at the payment provider (asset)
  "processor_fees", // what the provider kept (expense)
  "refunds", // provider fees lost on refunds and disputes (expense)
  "theater_payable", // owed to a theater (liability)
  "host_payable", // owed to a backend host (liability)
  "developers_fund", // owed to the developers' fund (liability)
  "org_operations", // the org's own share (income)
] as const;

export type LedgerAccountKind = (typeof ledgerAccountKinds)[number];

/** Accounts whose balance is paid out to someone. */
export const payableKinds: readonly LedgerAccountKind[] = ["theater_payable", "host_payable", "developers_fund"];

export type AccountRef = { kind: LedgerAccountKind; orgId?: string | null; currency: string };

export function ledgerAccountId(ref: AccountRef): string {
  return `${ref.kind}:${ref.orgId ?? "-"}:${ref.currency}`;
}

export function parseLedgerAccountId(id: string): AccountRef {
  const [kind, orgId, currency] = id.split(":");
  if (!ledgerAccountKinds.includes(kind as LedgerAccountKind) || !currency)
    throw new Error(`not a ledger account id: ${id}`);
  return { kind: kind as LedgerAccountKind, orgId: orgId === "-" ? null : orgId, currency };
}

/** Converts a bigint read from the database to a number, refusing values beyond 2^53. */
export function toSafeNumber(v: bigint | number | string): number {
  const n = typeof v === "number" ? v : Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`amount ${String(v)} is outside the safe integer range`);
  return n;
}
