import "server-only";
import { z } from "zod";
import { db, type Tx } from "@/lib/db/client";
import { defineEffect } from "@/lib/outbox/define-effect";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { postJournalEntries } from "@/lib/ledger/post-journal-entries";
import { parseLedgerAccountId } from "@/lib/ledger/accounts";
import { providerFor } from "@/lib/payment-provider/provider-for";
import { ProviderRefusal } from "@/lib/payment-provider/provider";
import { crashPointAfterTransfer } from "@/lib/payouts/crash-point";
import { finishBatchIfDone } from "@/lib/payouts/finish-batch-if-done";
import { DeferEffect } from "@/lib/outbox/defer-effect";
import { limits } from "@/lib/config/limits";
import { emitWebhookEvent } from "@/lib/webhooks/emit-webhook-event";

/**
 * Pays one batch item (the outbox effect "payout.transfer"). The
 * provider's idempotency key is the item id and its attempt, so however often
 * this runs (a crash after the transfer and before the commit, a lease that
 * ran out, two runners) the payee is paid once: a rerun gets the same transfer
 * back. A retry after a refusal (lib/payouts/retry-payout-item.ts) is a new
 * attempt with a new key, since the provider remembers the refusal under the
 * old one; only a refused attempt is ever followed by another. The
 * item then becomes posted with its ledger entry (payable debited, clearing
 * credited) in one transaction; a refusal (no connected account, account
 * rejected) makes it failed, and the balance stays owed for the next batch.
 * Network and server errors are thrown, so the outbox retries.
 *
 * A transfer the provider refuses for want of available balance
 * (`balance_insufficient`: the sales' funds are still pending, always so in
 * Stripe's test mode) is not a failure: the item stays pending, marked as
 * waiting, and is tried again hourly as a new attempt (the provider remembers
 * the refusal under the old key), for up to two weeks; then it fails with that
 * reason and finance can retry it. Transfers are not tied to one source charge
 * (`source_transaction`): an item pays a payee's share of many sales at once.
 */
export async function transferPayoutItem(payload: { itemId: string }): Promise<void> {
  const itemId = payload.itemId;
  const item = await db().payoutItem.findUnique({ where: { id: itemId } });
  if (item?.status !== "pending") return;
  const account = parseLedgerAccountId(item.ledgerAccountId);
  const payee = await db().payeeAccount.findFirst({
    where: { ledgerAccountKind: account.kind, orgId: account.orgId ?? null },
  });
  if (!payee) return settle(itemId, { failed: "the payee has no connected account yet" });
  try {
    // The provider that holds the payee's account, not whichever is configured now: an account made under
    // the simulated provider is not a Stripe destination, and the reverse.
    const { transferId } = await providerFor(payee.provider).createTransfer({
      amountMinor: Number(item.amountMinor),
      currency: item.currency,
      destination: payee.providerAccountId,
      idempotencyKey: transferIdempotencyKey(item),
      transferGroup: item.batchId,
      description: `Guildhall payout ${item.batchId}`,
    });
    crashPointAfterTransfer();
    await settle(itemId, { transferId, destination: payee.providerAccountId });
  } catch (e) {
    if (e instanceof ProviderRefusal && e.code === "balance_insufficient") return waitForFunds(item, e.message);
    if (e instanceof ProviderRefusal) return settle(itemId, { failed: `${e.code}: ${e.message}`.slice(0, 500) });
    throw e;
  }
}

async function waitForFunds(item: { id: string; attempt: number; waitingSince: Date | null }, message: string) {
  const since = item.waitingSince ?? new Date();
  if (Date.now() - since.getTime() >= limits.payouts.fundsWaitMs)
    return settle(item.id, { failed: `balance_insufficient: funds still not available after two weeks: ${message}` });
  const waiting = await db().payoutItem.updateMany({
    where: { id: item.id, status: "pending", attempt: item.attempt },
    data: {
      attempt: item.attempt + 1,
      waitingSince: since,
      waitingReason: "the provider's available balance is short while the sales' funds are pending",
    },
  });
  if (waiting.count === 0) return;
  throw new DeferEffect(new Date(Date.now() + limits.payouts.fundsRetryMs), `waiting for available funds: ${message}`);
}

async function settle(
  itemId: string,
  outcome: { transferId: string; destination: string } | { failed: string },
): Promise<void> {
  await db().$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<
      { status: string }[]
    >`SELECT "status" FROM "PayoutItem" WHERE "id" = ${itemId} FOR UPDATE`;
    if (row?.status !== "pending") return;
    const item = await tx.payoutItem.findUniqueOrThrow({ where: { id: itemId } });
    const actor = { type: "system" as const, id: "payouts" };
    if ("failed" in outcome) {
      await tx.payoutItem.update({
        where: { id: itemId },
        data: {
          status: "failed",
          failureReason: outcome.failed,
          failedAt: new Date(),
          waitingReason: null,
          waitingSince: null,
        },
      });
      await appendAuditEvent(tx, {
        actor,
        action: "payout_item.failed",
        subject: { type: "payout_item", id: itemId },
        state: { status: "failed", reason: outcome.failed },
        data: { batchId: item.batchId, reason: outcome.failed },
      });
      await emitPayoutEvent(tx, item, "payout.failed");
    } else {
      const account = parseLedgerAccountId(item.ledgerAccountId);
      const [entryId] = await postJournalEntries(tx, [
        {
          kind: "payout",
          payoutItemId: item.id,
          memo: `payout ${item.id} of batch ${item.batchId}`,
          postings: [
            { ...account, amountMinor: item.amountMinor },
            { kind: "processor_clearing", currency: item.currency, amountMinor: -item.amountMinor },
          ],
        },
      ]);
      await tx.payoutItem.update({
        where: { id: itemId },
        data: {
          status: "posted",
          providerTransferId: outcome.transferId,
          destination: outcome.destination,
          journalEntryId: entryId,
          postedAt: new Date(),
          waitingReason: null,
          waitingSince: null,
        },
      });
      await appendAuditEvent(tx, {
        actor,
        action: "payout_item.posted",
        subject: { type: "payout_item", id: itemId },
        state: { status: "posted", transferId: outcome.transferId, entryId },
        data: {
          batchId: item.batchId,
          amountMinor: item.amountMinor.toString(),
          currency: item.currency,
          transferId: outcome.transferId,
        },
      });
      await emitPayoutEvent(tx, item, "payout.posted");
    }
    await finishBatchIfDone(tx, item.batchId);
  });
}

/**
 * Tells the payee organization's webhook subscriptions (only theirs: a payout is nobody else's business)
 * that its payout was sent or could not be. Items of no organization (the devs' fund) tell no one.
 */
async function emitPayoutEvent(
  tx: Tx,
  item: { id: string; batchId: string; orgId: string | null; amountMinor: bigint; currency: string; attempt: number },
  type: "payout.posted" | "payout.failed",
) {
  if (!item.orgId) return;
  await emitWebhookEvent(tx, {
    type,
    orgId: item.orgId,
    toHosts: false,
    data: {
      payoutItemId: item.id,
      batchId: item.batchId,
      orgId: item.orgId,
      amountMinor: item.amountMinor.toString(),
      currency: item.currency,
      attempt: item.attempt,
    },
  });
}

/** The first attempt keeps the key transfers were always sent with; each retry gets its own. */
export function transferIdempotencyKey(item: { id: string; attempt: number }): string {
  return item.attempt === 1 ? `payout:${item.id}` : `payout:${item.id}:attempt-${item.attempt}`;
}

/** The outbox effect an executed batch enqueues, one per item. */
export const transferPayoutItemEffect = defineEffect({
  kind: "payout.transfer",
  schema: z.object({ itemId: z.string() }),
  handle: transferPayoutItem,
});
