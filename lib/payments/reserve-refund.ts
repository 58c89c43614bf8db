import "server-only";
import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { AppError } from "@/lib/errors/app-error";
import { assertPermitted } from "@/lib/access/permission";
import type { UserActor } from "@/lib/access/actor";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { refundableMinor } from "@/lib/money/refundable-amount";
import { refundNeedsSecondApprover } from "@/lib/payments/refund-approval-threshold";

export type RefundSubmission = {
  orderId: string;
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
 * Decides a refund under the order's row lock and reserves its amount, before
 * the provider is asked for anything: two refunds at once are decided one
 * after the other, each seeing what the other reserved, so together they never
 * exceed what is refundable. Checks, in order: the actor is a finance user; the
 * order exists; a submission with this key is answered as it stands (another
 * amount or reason under the same key is a 409); the order is paid; it was
 * not paid in an app store (refunded there, 422 REFUND_THROUGH_STORE); the amount
 * is positive and within the refundable amount less what other requests hold.
 * A refund above the configured amount waits for a second approver.
 */
export async function reserveRefund(tx: Tx, input: RefundSubmission, actor: UserActor) {
  await assertPermitted(tx, actor, { role: "FINANCE" }, { userMessage: "Only finance users can refund orders." });
  const [order] = await tx.$queryRaw<
    {
      status: string;
      amountMinor: bigint;
      refundedMinor: bigint;
      disputedMinor: bigint;
      currency: string;
      provider: string;
      providerPaymentRef: string | null;
    }[]
  >`
    SELECT "status", "amountMinor", "refundedMinor", "disputedMinor", "currency", "provider", "providerPaymentRef"
    FROM "PaymentOrder" WHERE "id" = ${input.orderId} FOR UPDATE`;
  if (!order) throw new AppError("NOT_FOUND", { userMessage: "No such order.", reason: "ORDER_NOT_FOUND" });
  const earlier = await tx.refundRequest.findUnique({
    where: { orderId_requestKey: { orderId: input.orderId, requestKey: input.requestKey } },
  });
  if (earlier) {
    if (earlier.amountMinor !== BigInt(input.amountMinor) || earlier.reason !== input.reason)
      throw new AppError("CONFLICT", {
        userMessage: "This refund was already submitted with another amount or reason.",
        reason: "REFUND_KEY_REUSED",
      });
    return { request: earlier, created: false };
  }
  if (order.status !== "paid" || !order.providerPaymentRef)
    throw new AppError("CONFLICT", { userMessage: "Only a paid order can be refunded.", reason: "ORDER_NOT_PAID" });
  if (order.provider in storeNames)
    throw new AppError("UNPROCESSABLE", {
      reason: "REFUND_THROUGH_STORE",
      userMessage: `This order was paid in ${storeNames[order.provider as keyof typeof storeNames]}: refund it through the store. Its refund notification records the refund here.`,
    });
  const held = await tx.refundRequest.aggregate({
    where: { orderId: input.orderId, status: { in: reservingStatuses } },
    _sum: { amountMinor: true },
  });
  const remaining = refundableMinor(order) - (held._sum.amountMinor ?? 0n);
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0 || BigInt(input.amountMinor) > remaining)
    throw new AppError("UNPROCESSABLE", {
      userMessage: `At most ${remaining > 0n ? remaining : 0n} (minor units) can still be refunded on this order.`,
      reason: "AMOUNT_EXCEEDS_REMAINING",
    });
  const awaitsApproval = refundNeedsSecondApprover(BigInt(input.amountMinor), order.currency);
  const request = await tx.refundRequest.create({
    data: {
      id: newId("rfd"),
      orderId: input.orderId,
      requestKey: input.requestKey,
      amountMinor: input.amountMinor,
      currency: order.currency,
      reason: input.reason,
      status: awaitsApproval ? "awaiting_approval" : "reserved",
      requestedById: actor.id,
    },
  });
  await appendAuditEvent(tx, {
    actor,
    action: "order.refund_requested",
    subject: { type: "order", id: input.orderId },
    state: { refundRequestId: request.id, status: request.status },
    data: { amountMinor: input.amountMinor, currency: order.currency, reason: input.reason },
  });
  return { request, created: true };
}
