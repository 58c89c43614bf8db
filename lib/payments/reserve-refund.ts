import "server-only";
import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { AppError } from "@/lib/errors/app-error";
import { assertPermitted } from "@/lib/access/permission";
import type { UserActor } from "@/lib/access/actor";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { refundableMinor } from "@/lib/money/refundable-amount";
import { refundNeedsSecondApprover } from "@/lib/payments/refund-approval-threshold";
import {
  type AdjustedPayment,
  auditSubjectOf,
  lockAdjustedPayment,
  paymentWhere,
} from "@/lib/payments/adjusted-payment";

export type RefundSubmission = {
  /** What is refunded: a paid order, or a funder's payment (lib/funding). */
  payment: AdjustedPayment;
  amountMinor: number;
  /** Why the money goes back, in finance's words; kept with the refund and in the audit chain. */
  reason: string;
  /** The submission's own key (the form's or the API caller's): the same key twice is one refund. */
  requestKey: string;
};

/** The app stores take the money and give it back: Guildhall cannot refund their orders, only record their refunds. */
const storeNames = { apple: "the App Store", google: "Google Play" } as const;

/** Refund requests that hold part of the order's refundable amount until they are settled or released. */
export const reservingStatuses = ["awaiting_approval", "reserved"];

/**
 * Decides a refund under the payment's row lock and reserves its amount, before
 * the provider is asked for anything: two refunds at once are decided one
 * after the other, each seeing what the other reserved, so together they never
 * exceed what is refundable. Checks, in order: the actor is a finance user; the
 * order (or funder's payment) exists; a submission with this key is answered as it stands (another
 * amount or reason under the same key is a 409); the order is paid; it was
 * not paid in an app store (refunded there, 422 REFUND_THROUGH_STORE); the amount
 * is positive and within the refundable amount less what other requests hold.
 * A refund above the configured amount waits for a second approver.
 */
export async function reserveRefund(tx: Tx, { actor, ...input }: { actor: UserActor } & RefundSubmission) {
  await assertPermitted(tx, actor, { role: "FINANCE" }, { userMessage: "Only finance users can refund payments." });
  const paid = await lockAdjustedPayment(tx, input.payment);
  if (!paid)
    throw input.payment.orderId
      ? new AppError("NOT_FOUND", { userMessage: "No such order.", reason: "ORDER_NOT_FOUND" })
      : new AppError("NOT_FOUND", { userMessage: "No such funding payment.", reason: "FUNDING_PAYMENT_NOT_FOUND" });
  const earlier = await tx.refundRequest.findFirst({
    where: { ...paymentWhere(input.payment), requestKey: input.requestKey },
  });
  if (earlier) {
    if (earlier.amountMinor !== BigInt(input.amountMinor) || earlier.reason !== input.reason)
      throw new AppError("CONFLICT", {
        userMessage: "This refund was already submitted with another amount or reason.",
        reason: "REFUND_KEY_REUSED",
      });
    return { request: earlier, created: false };
  }
  if (!paid.paid || !paid.paymentRef)
    throw new AppError("CONFLICT", { userMessage: "Only a paid order can be refunded.", reason: "ORDER_NOT_PAID" });
  if (paid.provider in storeNames)
    throw new AppError("UNPROCESSABLE", {
      reason: "REFUND_THROUGH_STORE",
      userMessage: `This order was paid in ${storeNames[paid.provider as keyof typeof storeNames]}: refund it through the store. Its refund notification records the refund here.`,
    });
  const held = await tx.refundRequest.aggregate({
    where: { ...paymentWhere(input.payment), status: { in: reservingStatuses } },
    _sum: { amountMinor: true },
  });
  const remaining = refundableMinor(paid) - (held._sum.amountMinor ?? 0n);
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0 || BigInt(input.amountMinor) > remaining)
    throw new AppError("UNPROCESSABLE", {
      userMessage: `At most ${remaining > 0n ? remaining : 0n} (minor units) can still be refunded on this payment.`,
      reason: "AMOUNT_EXCEEDS_REMAINING",
    });
  const awaitsApproval = refundNeedsSecondApprover(BigInt(input.amountMinor), paid.currency);
  const request = await tx.refundRequest.create({
    data: {
      id: newId("rfd"),
      ...paymentWhere(input.payment),
      requestKey: input.requestKey,
      amountMinor: input.amountMinor,
      currency: paid.currency,
      reason: input.reason,
      status: awaitsApproval ? "awaiting_approval" : "reserved",
      requestedById: actor.id,
    },
  });
  await appendAuditEvent(tx, {
    actor,
    action: "order.refund_requested",
    subject: auditSubjectOf(input.payment),
    state: { refundRequestId: request.id, status: request.status },
    data: { amountMinor: input.amountMinor, currency: paid.currency, reason: input.reason },
  });
  return { request, created: true };
}
