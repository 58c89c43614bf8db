"use server";
import { z } from "zod";
import { redirect } from "next/navigation";
import { requireAccess } from "@/lib/auth/require-access";
import { formFields, runAction, type ActionResult } from "@/app/action-result";
import { completeSimulatedFunding } from "@/lib/payments/complete-simulated-funding";

const payForm = z.object({
  fundingId: z.string().regex(/^fnd_[a-f0-9]{32}$/),
  card: z.string().trim().min(12).max(25),
});

/** The simulated funding checkout's test card, for the signed-in funder; paid, it goes to their funding page. */
export async function paySimulatedFundingAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  let outcome: { result: "paid" | "declined"; fundingId: string } | null = null;
  const result = await runAction(async () => {
    const auth = await requireAccess("signed-in");
    const input = payForm.parse(formFields(formData));
    outcome = await completeSimulatedFunding({
      funderUserId: auth.session.userId,
      fundingId: input.fundingId,
      cardNumber: input.card,
    });
    return outcome.result === "paid" ? "Paid." : "The card was declined. Try another test card.";
  });
  const done = outcome as { result: "paid" | "declined"; fundingId: string } | null;
  if (result?.ok && done?.result === "paid") redirect(`/account/funding?started=${done.fundingId}`);
  if (result?.ok) return { ok: false, error: { code: "CARD_DECLINED", message: result.message } };
  return result;
}
