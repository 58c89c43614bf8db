import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { Actor } from "@/lib/access/actor";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { providerFor } from "@/lib/payment-provider/provider-for";
import { ProviderRefusal, type ProviderRefundStatus } from "@/lib/payment-provider/provider";
import { minorUnitsAsNumber } from "@/lib/money/money";
import { settleRefundRequest } from "@/lib/payments/settle-refund-request";
import { adjustedPaymentOf, auditSubjectOf, providerPaymentOf } from "@/lib/payments/adjusted-payment";
import { refundView, type RefundView } from "@/lib/payments/refund-view";
import { crashPointAfterRefund } from "@/lib/payments/crash-point";

/**
 * Sends a reserved refund to the provider and settles it. The provider call is
 * made outside any transaction, keyed by the request's id, so sending the same
 * request again (a retry after a lost answer, a crash) refunds once. Then:
 * - the provider took it (pending or succeeded): one transaction records the
 *   adjustment and its ledger entry and marks the request submitted;
 * - the provider refused it (or it failed at once): the request is failed and
 *   its reservation released;
 * - no answer (network, provider down): the request stays reserved, since the
 *   refund may have been made; submitting the same refund again finishes it,
 *   and the provider's refund event settles it in any case.
 */
export async function submitRefund({
  refundRequestId,
  actor,
}: {
  refundRequestId: string;
  actor: Actor;
}): Promise<RefundView> {
  const request = await db().refundRequest.findUniqueOrThrow({ where: { id: refundRequestId } });
  const paid = await providerPaymentOf(db(), adjustedPaymentOf(request));
  let made: { refundId: string; status: ProviderRefundStatus };
  try {
    made = await providerFor(paid.provider).createRefund({
      paymentRef: paid.paymentRef,
      amountMinor: minorUnitsAsNumber(request.amountMinor),
      idempotencyKey: `refund:${request.id}`,
      refundRequestId: request.id,
    });
  } catch (e) {
    if (!(e instanceof ProviderRefusal))
      throw new AppError("UNAVAILABLE", {
        message: e instanceof Error ? e.message : String(e),
        userMessage: "The payment provider did not answer. Submit the same refund again to finish it.",
        reason: "PROVIDER_UNAVAILABLE",
      });
    await releaseRefund(request.id, e.message, actor);
    throw new AppError("UNPROCESSABLE", {
      message: e.message,
      userMessage: `The payment provider refused the refund: ${e.message}`,
      reason: "PROVIDER_REFUSED",
    });
  }
  if (made.status === "failed" || made.status === "canceled") {
    await releaseRefund(request.id, `the provider's refund ${made.refundId} is ${made.status}`, actor);
    throw new AppError("UNPROCESSABLE", {
      userMessage: `The payment provider's refund is ${made.status}.`,
      reason: "PROVIDER_REFUSED",
    });
  }
  crashPointAfterRefund();
  const settled = await db().$transaction((tx) =>
    settleRefundRequest(tx, {
      refundRequestId: request.id,
      providerRefundId: made.refundId,
      providerStatus: made.status,
      actor,
    }),
  );
  return refundView(settled, made.status);
}

/** A refused refund: the request is failed and what it held is refundable again. */
async function releaseRefund(refundRequestId: string, message: string, actor: Actor) {
  await db().$transaction(async (tx) => {
    const released = await tx.refundRequest.updateMany({
      where: { id: refundRequestId, status: "reserved" },
      data: { status: "failed", failureMessage: message.slice(0, 500), decidedAt: new Date() },
    });
    if (released.count === 0) return;
    const request = await tx.refundRequest.findUniqueOrThrow({ where: { id: refundRequestId } });
    await appendAuditEvent(tx, {
      actor,
      action: "order.refund_failed",
      subject: auditSubjectOf(adjustedPaymentOf(request)),
      state: { refundRequestId, status: "failed" },
      data: { amountMinor: minorUnitsAsNumber(request.amountMinor), message: message.slice(0, 500) },
    });
  });
}
