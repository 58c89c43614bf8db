import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { parseLedgerAccountId } from "@/lib/ledger/accounts";
import { postJournalEntries } from "@/lib/ledger/post-journal-entries";

/**
 * Corrects an entry the only way the ledger allows: a new entry with every
 * posting negated. An entry can be reversed once (unique reversesEntryId).
 */
export async function reverseJournalEntry(
  tx: Tx,
  { entryId, memo }: { entryId: string; memo: string },
): Promise<string> {
  const entry = await tx.journalEntry.findUnique({ where: { id: entryId } });
  if (!entry) throw new AppError("NOT_FOUND", { userMessage: "No such journal entry." });
  const already = await tx.journalEntry.findUnique({ where: { reversesEntryId: entryId }, select: { id: true } });
  if (already)
    throw new AppError("CONFLICT", {
      userMessage: "This entry has already been reversed.",
      reason: "ALREADY_REVERSED",
    });
  const postings = await tx.ledgerPosting.findMany({ where: { entryId }, orderBy: { id: "asc" } });
  const [id] = await postJournalEntries(tx, [
    {
      kind: "reversal",
      orderId: entry.orderId,
      payoutItemId: entry.payoutItemId,
      reversesEntryId: entry.id,
      memo,
      postings: postings.map((p) => ({ ...parseLedgerAccountId(p.accountId), amountMinor: -p.amountMinor })),
    },
  ]);
  return id;
}
