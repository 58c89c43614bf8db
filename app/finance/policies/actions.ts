"use server";
import { z } from "zod";
import { revalidatePath } from "next/cache";
import { requireAccess } from "@/lib/auth/require-access";
import { createSplitPolicy } from "@/lib/splits/create-split-policy";
import { approveSplitPolicy } from "@/lib/splits/approve-split-policy";
import { createSplitPolicyRequestSchema } from "@/app/api/finance/policies/schemas";
import { formFields, runAction, type ActionResult } from "@/app/action-result";

/** Drafts the next version of a split; it splits nothing until two finance users approve it. */
export async function draftSplitPolicyAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const { actor } = await requireAccess({ role: "FINANCE" });
    const terms = createSplitPolicyRequestSchema.parse(formFields(formData));
    const policy = await createSplitPolicy({ ...terms, actor });
    revalidatePath("/finance/policies");
    return `Version ${policy.version} drafted; two finance users must approve it before it splits anything.`;
  });
}

const approveForm = z.object({ policyId: z.string().min(1).max(100) });

/** One finance user's approval of a drafted version; the second activates it. */
export async function approveSplitPolicyAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const { actor } = await requireAccess({ role: "FINANCE" });
    const { policyId } = approveForm.parse(formFields(formData));
    const policy = await approveSplitPolicy({ actor, policyId });
    revalidatePath("/finance/policies");
    return policy.status === "active"
      ? "Approved: this version is now active."
      : "Your approval is recorded; a second finance user must approve too.";
  });
}
