"use server";
import { z } from "zod";
import { revalidatePath } from "next/cache";
import { requireAccess } from "@/lib/auth/require-access";
import { retryPayoutItem } from "@/lib/payouts/retry-payout-item";
import { formFields, runAction, type ActionResult } from "@/app/action-result";

const itemSchema = z.object({ batchId: z.string().min(1).max(100), itemId: z.string().min(1).max(100) });

/** Sends a failed transfer again; the domain checks FINANCE again and that the retry cannot pay twice. */
export async function retryPayoutItemAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const input = itemSchema.parse(formFields(formData));
    const { session } = await requireAccess({ role: "FINANCE" });
    await retryPayoutItem(input, session.userId);
    revalidatePath(`/finance/batches/${input.batchId}`);
    return "Transfer sent again; this page updates when it is done.";
  });
}
