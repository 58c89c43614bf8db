import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { UserActor } from "@/lib/access/actor";
import { reserveRefund, type RefundSubmission } from "@/lib/payments/reserve-refund";
import { submitRefund } from "@/lib/payments/submit-refund";
import { refundView, type RefundView } from "@/lib/payments/refund-view";
import { REFUND_STALLED_AFTER_MS } from "@/lib/payments/resume-stalled-refunds";

/**
 * Refunds part or all of a paid order or a funder's payment (finance). The refund is decided and its
 * amount reserved under the payment's lock first (reserveRefund), then sent to
 * the provider (submitRefund), so refunds at once never exceed what is
 * refundable, at the provider or in the ledger. The same submission (same
 * request key) answers as the first one stands: its result when settled, its
 * refusal when refused, a 409 while it is still on its way to the provider,
 * and, when that way stalled (the provider never answered), it is sent again.
 * A refund above the second-approver threshold is answered awaiting approval.
 */
export async function refundPayment({ actor, ...input }: { actor: UserActor } & RefundSubmission): Promise<RefundView> {
  const { request, created } = await db().$transaction((tx) => reserveRefund(tx, { ...input, actor }));
  if (created)
    return request.status === "reserved" ? submitRefund({ refundRequestId: request.id, actor }) : refundView(request);
  switch (request.status) {
    case "reserved":
      if (Date.now() - request.createdAt.getTime() >= REFUND_STALLED_AFTER_MS)
        return submitRefund({ refundRequestId: request.id, actor });
      throw new AppError("CONFLICT", {
        userMessage: "This refund is already on its way to the payment provider. Reload the page to see it.",
        reason: "REFUND_IN_PROGRESS",
      });
    case "failed":
      throw new AppError("UNPROCESSABLE", {
        userMessage: `This refund was refused: ${request.failureMessage ?? "by the payment provider"}.`,
        reason: "PROVIDER_REFUSED",
      });
    default: {
      const adjustment = request.adjustmentId
        ? await db().paymentAdjustment.findUnique({ where: { id: request.adjustmentId } })
        : null;
      return refundView(request, adjustment?.providerStatus ?? null, true);
    }
  }
}
