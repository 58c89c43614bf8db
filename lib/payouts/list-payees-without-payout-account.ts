import "server-only";
import type { Tx } from "@/lib/db/client";
import { db } from "@/lib/db/client";
import { parseLedgerAccountId, payableKinds } from "@/lib/ledger/accounts";

export type PayeeWithoutAccount = { ledgerAccountId: string; name: string; orgSlug: string | null; reason: string };

/**
 * The payees among these ledger accounts whose transfer would be refused
 * today: no payout account, or one whose onboarding is unfinished. Finance is
 * told before it proposes, approves or executes, instead of learning it from a
 * batch of failed transfers.
 */
export async function listPayeesWithoutPayoutAccount(
  ledgerAccountIds: string[],
  tx?: Tx,
): Promise<PayeeWithoutAccount[]> {
  const client = tx ?? db();
  const refs = ledgerAccountIds.map((id) => ({ id, ...parseLedgerAccountId(id) }));
  const orgIds = refs.map((r) => r.orgId).filter((id): id is string => Boolean(id));
  const [payees, orgs] = await Promise.all([
    client.payeeAccount.findMany({
      where: { OR: refs.map((r) => ({ ledgerAccountKind: r.kind, orgId: r.orgId ?? null })) },
      select: { ledgerAccountKind: true, orgId: true, onboardingStatus: true },
    }),
    client.organization.findMany({ where: { id: { in: orgIds } }, select: { id: true, name: true, slug: true } }),
  ]);
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  const out: PayeeWithoutAccount[] = [];
  for (const ref of refs) {
    const payee = payees.find((p) => p.ledgerAccountKind === ref.kind && p.orgId === (ref.orgId ?? null));
    if (payee?.onboardingStatus === "complete") continue;
    const org = ref.orgId ? orgById.get(ref.orgId) : undefined;
    out.push({
      ledgerAccountId: ref.id,
      name: ref.orgId ? (org?.name ?? ref.orgId) : "Developers' fund",
      orgSlug: org?.slug ?? null,
      reason: payee ? "its payout account's set-up is not finished" : "it has no payout account",
    });
  }
  return out;
}

/** The payees owed money now (payable balance below zero) in a currency who could not be paid. */
export async function listOwedPayeesWithoutPayoutAccount(currency?: string): Promise<PayeeWithoutAccount[]> {
  const rows = await db().$queryRawUnsafe<{ accountId: string }[]>(
    `SELECT a."id" AS "accountId"
       FROM "LedgerAccount" a JOIN "LedgerPosting" p ON p."accountId" = a."id"
      WHERE a."kind" = ANY($2::text[]) AND ($1::text IS NULL OR a."currency" = $1)
      GROUP BY a."id" HAVING sum(p."amountMinor") < 0 ORDER BY a."id"`,
    currency ?? null,
    payableKinds,
  );
  return rows.length === 0 ? [] : listPayeesWithoutPayoutAccount(rows.map((r) => r.accountId));
}
