"use server";
import { z } from "zod";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireAccess } from "@/lib/auth/require-access";
import { AppError } from "@/lib/errors/app-error";
import { parseMoney } from "@/lib/money/parse-money";
import { formatMoney } from "@/lib/money/format-money";
import { getOrderRefunds } from "@/lib/payments/get-order-refunds";
import { refundPayment } from "@/lib/payments/refund-payment";
import { getFundingPaymentRefunds } from "@/lib/payments/get-funding-payment-refunds";
import { decideRefundApproval } from "@/lib/payments/decide-refund-approval";
import { refundPagePath, type RefundView } from "@/lib/payments/refund-view";
import { formFields, runAction, type ActionResult } from "@/app/action-result";

/** The payment refunded is an order or a funder's payment: the form names exactly one. */
const refundForm = z
  .object({
    orderId: z.string().min(1).max(100).optional(),
    fundingPaymentId: z.string().min(1).max(100).optional(),
    amount: z.string().trim().min(1, "Enter the amount to refund."),
    reason: z.string().trim().min(3, "Say why the money goes back.").max(500),
    requestKey: z.string().min(8).max(100),
    confirm: z.literal("yes", { error: "Confirm that the money goes back to the payer." }),
  })
  .refine((f) => Boolean(f.orderId) !== Boolean(f.fundingPaymentId), { message: "Refund one payment." });

/** What happened, in words: the message finance staff see after submitting. */
function refundOutcome(refund: RefundView): string {
  const amount = formatMoney(refund.amountMinor, refund.currency);
  const again = refund.duplicate ? " (this refund was already submitted)" : "";
  if (refund.status === "awaiting_approval")
    return `The refund of ${amount} waits for a second finance user's approval; nothing has been sent yet${again}.`;
  if (refund.status === "rejected") return `The refund of ${amount} was declined${again}.`;
  const state =
    refund.providerStatus === "succeeded"
      ? "refunded"
      : `sent; the provider reports it ${refund.providerStatus ?? "pending"}`;
  return `${amount} ${state} (${refund.providerRefundId})${again}.`;
}

/**
 * A finance user refunds part or all of an order or a funder's payment; amounts are typed in major units of
 * the payment's currency, and the server reads that currency from the payment.
 */
export async function refundPaymentAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const { actor } = await requireAccess({ role: "FINANCE" });
    const input = refundForm.parse(formFields(formData));
    const currency = input.orderId
      ? (await getOrderRefunds(input.orderId)).order.currency
      : (await getFundingPaymentRefunds(String(input.fundingPaymentId))).payment.currency;
    const parsed = parseMoney(input.amount, currency);
    if (!parsed.ok) throw new AppError("VALIDATION_FAILED", { userMessage: `The amount must be ${parsed.message}.` });
    const refund = await refundPayment({
      actor,
      payment: input.orderId ? { orderId: input.orderId } : { fundingPaymentId: String(input.fundingPaymentId) },
      amountMinor: Number(parsed.money.amountMinor),
      reason: input.reason,
      requestKey: input.requestKey,
    });
    revalidatePath(refundPagePath(refund));
    return refundOutcome(refund);
  });
}

const decisionForm = z.object({
  refundRequestId: z.string().min(1).max(100),
  decision: z.enum(["approve", "decline"]),
  note: z.string().trim().max(500).optional(),
});

/**
 * A second finance user approves (the refund is then sent) or declines a refund above the approval bar. The
 * decision's form leaves the page with the decision, so the answer is the page itself, named by the refund:
 * it says what became of it.
 */
export async function decideRefundAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const { actor } = await requireAccess({ role: "FINANCE" });
    const input = decisionForm.parse(formFields(formData));
    const refund = await decideRefundApproval({
      actor,
      refundRequestId: input.refundRequestId,
      approve: input.decision === "approve",
      note: input.note || undefined,
    });
    revalidatePath(refundPagePath(refund));
    redirect(`${refundPagePath(refund)}?refund=${encodeURIComponent(refund.id)}`);
  });
}
