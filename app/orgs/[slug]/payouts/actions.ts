"use server";
import { z } from "zod";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { requireAccess } from "@/lib/auth/require-access";
import { formFields, runAction, type ActionResult } from "@/app/action-result";
import { connectPayoutAccountAs, reportUsageAs } from "@/app/orgs/[slug]/payouts/payee-forms";
import { payeeConnectRequestSchema } from "@/app/api/finance/finance-schemas";
import { usageReportRequestSchema } from "@/app/api/orgs/[slug]/usage/schemas";

const slugForm = z.object({ slug: z.string().min(1).max(100) });

/** Connects the organization's payout account; onboarding, when the provider has one, continues there. */
export async function connectPayoutAccountAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  let onboardingUrl: string | null = null;
  const result = await runAction(async () => {
    const { access, actor } = await requireAccess("signed-in");
    const fields = formFields(formData);
    const { slug } = slugForm.parse(fields);
    const r = await connectPayoutAccountAs({
      access,
      actor,
      slug,
      readInput: async () => payeeConnectRequestSchema.parse(fields),
    });
    onboardingUrl = r.onboardingUrl;
    revalidatePath(`/orgs/${slug}/payouts`);
    return `Payout account ${r.onboardingStatus}.`;
  });
  if (result?.ok && onboardingUrl) redirect(onboardingUrl);
  return result;
}

/** A host's operator reports the units it served in a month that has ended. */
export async function reportUsageAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const { access, actor } = await requireAccess("signed-in");
    const fields = formFields(formData);
    const { slug } = slugForm.parse(fields);
    const report = await reportUsageAs({
      access,
      actor,
      slug,
      readInput: async () => usageReportRequestSchema.parse(fields),
    });
    revalidatePath(`/orgs/${slug}/payouts`);
    return `Usage for ${report.period} recorded: ${report.units} units.`;
  });
}
