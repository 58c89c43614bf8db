"use server";
import { z } from "zod";
import { revalidatePath } from "next/cache";
import { requireAccess } from "@/lib/auth/require-access";
import { retryPayoutItem } from "@/lib/payouts/retry-payout-item";
import { executePayoutBatch } from "@/lib/payouts/execute-payout-batch";
import { voidPayoutBatch } from "@/lib/payouts/void-payout-batch";
import { approvePayoutBatch } from "@/lib/payouts/approve-payout-batch";
import { actReasonSchema } from "@/lib/audit/act-reason";
import { formFields, runAction, type ActionResult } from "@/app/action-result";

const batchSchema = z.object({ batchId: z.string().min(1).max(100) });

/** One finance user's approval; the second, by another finance user, approves the batch. */
export async function approvePayoutBatchAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const input = batchSchema.parse(formFields(formData));
    const { actor } = await requireAccess({ role: "FINANCE" });
    const batch = await approvePayoutBatch({ ...input, actor });
    revalidatePath(`/finance/batches/${input.batchId}`);
    return batch.status === "approved"
      ? "Approved: the batch has both approvals and can be executed."
      : "Your approval is recorded; a second finance user must approve too.";
  });
}

const confirmedSchema = z.object({ batchId: z.string().min(1).max(100), reason: actReasonSchema });

/** Sends an approved batch's transfers, with the reason the finance user typed to confirm. */
export async function executePayoutBatchAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const input = confirmedSchema.parse(formFields(formData));
    const { actor } = await requireAccess({ role: "FINANCE" });
    const batch = await executePayoutBatch({ ...input, actor });
    revalidatePath(`/finance/batches/${input.batchId}`);
    return `Sending ${batch.itemCount} ${batch.itemCount === 1 ? "transfer" : "transfers"}; this page shows each result as it comes.`;
  });
}

/** Withdraws a batch before it is sent; its balances stay owed. */
export async function voidPayoutBatchAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const input = confirmedSchema.parse(formFields(formData));
    const { actor } = await requireAccess({ role: "FINANCE" });
    await voidPayoutBatch({ ...input, actor });
    revalidatePath(`/finance/batches/${input.batchId}`);
    return "Batch voided. Nothing was sent; the amounts stay owed and go into the next batch.";
  });
}

const itemSchema = z.object({ batchId: z.string().min(1).max(100), itemId: z.string().min(1).max(100) });

/** Sends a failed transfer again; the domain checks FINANCE again and that the retry cannot pay twice. */
export async function retryPayoutItemAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const input = itemSchema.parse(formFields(formData));
    const { actor } = await requireAccess({ role: "FINANCE" });
    await retryPayoutItem({ ...input, actor });
    revalidatePath(`/finance/batches/${input.batchId}`);
    return "Transfer sent again; this page updates when it is done.";
  });
}
