"use server";
import { z } from "zod";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { requireAccess } from "@/lib/auth/require-access";
import { createPayoutBatch } from "@/lib/payouts/create-payout-batch";
import { connectPayeeAccount } from "@/lib/payouts/connect-payee-account";
import { resolveFinanceAlert } from "@/lib/finance-alerts/resolve-finance-alert";
import { formFields, runAction, type ActionResult } from "@/app/action-result";
import { createBatchRequestSchema } from "@/app/api/finance/batches/schemas";
import { payeeConnectRequestSchema } from "@/app/api/finance/finance-schemas";
import { resolveAlertRequestSchema } from "@/app/api/finance/alerts/[alertId]/resolve/schemas";

/** Proposes a batch of what every payee is owed; the answer is the batch's page. */
export async function proposePayoutBatchAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  let batchId = "";
  const result = await runAction(async () => {
    const { actor } = await requireAccess({ role: "FINANCE" });
    const input = createBatchRequestSchema.parse(formFields(formData));
    const batch = await createPayoutBatch({ ...input, actor });
    batchId = batch.id;
    return "Batch proposed.";
  });
  if (result?.ok) redirect(`/finance/batches/${batchId}`);
  return result;
}

// The page's form always sends its country field (empty when none is chosen): a form without it is not this form.
const connectFundForm = payeeConnectRequestSchema.required({ country: true });

/** Finance connects the developers' fund's account (theaters and hosts connect their own). */
export async function connectDevelopersFundAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  let onboardingUrl: string | null = null;
  const result = await runAction(async () => {
    const { actor } = await requireAccess({ role: "FINANCE" });
    const { country } = connectFundForm.parse(formFields(formData));
    const r = await connectPayeeAccount({
      actor,
      country,
      kind: "developers_fund",
      orgId: null,
      returnPath: "/finance",
    });
    onboardingUrl = r.onboardingUrl;
    revalidatePath("/finance");
    return `The developers' fund payout account is ${r.onboardingStatus}.`;
  });
  // Onboarding continues at the provider (Stripe Connect), which sends the user back to /finance.
  if (result?.ok && onboardingUrl) redirect(onboardingUrl);
  return result;
}

const resolveForm = resolveAlertRequestSchema.extend({ alertId: z.string().min(1).max(100) });

/** A finance user marks an alert looked after, saying what was done (kept in the audit log). */
export async function resolveFinanceAlertAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const { actor } = await requireAccess({ role: "FINANCE" });
    const input = resolveForm.parse(formFields(formData));
    await resolveFinanceAlert({ ...input, actor });
    revalidatePath("/finance");
    return "Alert resolved.";
  });
}
