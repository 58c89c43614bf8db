import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { env } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";
import { sha256Hex } from "@/lib/crypto/hash";
import { canonicalJson } from "@/lib/crypto/canonical-json";
import { appendAuditEvent, type AuditActor } from "@/lib/audit/append-audit-event";
import {
  checkoutInputSchema,
  MAX_ORDER_AMOUNT_MINOR,
  orderAmountMinor,
  type CheckoutParams,
} from "@/lib/payments/checkout-schema";
import { getPaymentProvider } from "@/lib/payment-provider/get-payment-provider";
import { getActiveSplitPolicyOrThrow } from "@/lib/splits/get-active-split-policy";
import type { z } from "zod";

export type CreateCheckoutInput = z.input<typeof checkoutInputSchema> & {
  actor: AuditActor;
  /** Who the purchase is for (named on its receipt); by default the user who opens the checkout, if a user does. */
  buyerUserId?: string | null;
};
export type CreateCheckoutResult = { checkoutId: string; url: string };

function idempotencyScope(actor: AuditActor): string {
  return `${actor.type}:${actor.id ?? "-"}`;
}

/**
 * Opens a checkout for a license or ticket sale and answers where to pay.
 * Steps: validate; with an idempotency key, answer the earlier checkout of the
 * same key and parameters or refuse other parameters (IDEMPOTENCY_KEY_REUSED);
 * check the theater and that a split policy is active (a sale must be
 * splittable before money is taken); record the order and its audit event in
 * one transaction; then ask the provider for a session, keyed by the order id
 * so a retry after a crash gets the same session.
 */
export async function createCheckout(input: CreateCheckoutInput): Promise<CreateCheckoutResult> {
  const { actor, buyerUserId, ...raw } = input;
  const buyer = buyerUserId ?? (actor.type === "user" ? actor.id : null);
  const params = checkoutInputSchema.parse(raw);
  const amountMinor = orderAmountMinor(params.lineItems);
  if (amountMinor <= 0)
    throw new AppError("VALIDATION_FAILED", {
      userMessage: "The line items must add up to more than zero.",
      reason: "AMOUNT_ZERO",
    });
  if (amountMinor > MAX_ORDER_AMOUNT_MINOR)
    throw new AppError("VALIDATION_FAILED", {
      userMessage: "The order total is too large.",
      reason: "AMOUNT_TOO_LARGE",
    });
  const { idempotencyKey, ...hashed } = params;
  const requestHash = sha256Hex(canonicalJson(hashed));
  const scope = idempotencyKey ? idempotencyScope(actor) : null;

  let order = scope ? await findReplay(scope, idempotencyKey!, requestHash) : null;
  if (!order) {
    try {
      order = await insertOrder(params, amountMinor, actor, buyer, scope, requestHash);
    } catch (e) {
      if (scope && e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")
        order = await findReplay(scope, idempotencyKey!, requestHash);
      if (!order) throw e;
    }
  }
  if (order.checkoutUrl) return { checkoutId: order.id, url: order.checkoutUrl };
  return { checkoutId: order.id, url: await openProviderSession(order.id, params) };
}

async function findReplay(scope: string, key: string, requestHash: string) {
  const existing = await db().paymentOrder.findUnique({
    where: { idempotencyScope_idempotencyKey: { idempotencyScope: scope, idempotencyKey: key } },
  });
  if (existing && existing.requestHash !== requestHash) {
    throw new AppError("UNPROCESSABLE", {
      userMessage: "This Idempotency-Key was already used with other parameters.",
      reason: "IDEMPOTENCY_KEY_REUSED",
    });
  }
  return existing;
}

async function insertOrder(
  params: CheckoutParams,
  amountMinor: number,
  actor: AuditActor,
  buyerUserId: string | null,
  scope: string | null,
  requestHash: string,
) {
  return db().$transaction(async (tx) => {
    const theater = await tx.organization.findUnique({
      where: { id: params.theaterOrgId },
      select: { kind: true, status: true },
    });
    if (theater?.kind !== "THEATER")
      throw new AppError("NOT_FOUND", { userMessage: "No such theater.", reason: "THEATER_NOT_FOUND" });
    if (theater.status !== "ACTIVE")
      throw new AppError("UNPROCESSABLE", { userMessage: "This theater is not active.", reason: "THEATER_NOT_ACTIVE" });
    await getActiveSplitPolicyOrThrow(tx, params.productKind, params.currency);
    const order = await tx.paymentOrder.create({
      data: {
        id: newId("ord"),
        productKind: params.productKind,
        theaterOrgId: params.theaterOrgId,
        description: params.description,
        lineItems: params.lineItems,
        amountMinor,
        currency: params.currency,
        fulfilmentKind: params.fulfilment.kind,
        fulfilment: params.fulfilment,
        provider: getPaymentProvider().name,
        successPath: params.successPath,
        cancelPath: params.cancelPath,
        idempotencyScope: scope,
        idempotencyKey: params.idempotencyKey ?? null,
        requestHash,
        createdByType: actor.type,
        createdById: actor.id ?? null,
        buyerUserId,
      },
    });
    await appendAuditEvent(tx, {
      actor,
      action: "checkout.created",
      subject: { type: "order", id: order.id },
      state: {
        productKind: order.productKind,
        amountMinor,
        currency: order.currency,
        fulfilment: params.fulfilment,
        theaterOrgId: order.theaterOrgId,
      },
      data: { productKind: order.productKind, amountMinor, currency: order.currency },
    });
    return order;
  });
}

async function openProviderSession(orderId: string, params: CheckoutParams): Promise<string> {
  const base = env().publicUrl;
  const withOrder = (path: string) => `${base}${path}${path.includes("?") ? "&" : "?"}order=${orderId}`;
  let session: { sessionId: string; url: string };
  try {
    session = await getPaymentProvider().createCheckoutSession({
      orderId,
      description: params.description,
      currency: params.currency,
      lineItems: params.lineItems,
      successUrl: withOrder(params.successPath),
      cancelUrl: withOrder(params.cancelPath),
      idempotencyKey: `checkout:${orderId}`,
    });
  } catch (e) {
    throw new AppError("UNAVAILABLE", {
      message: `provider checkout failed: ${e instanceof Error ? e.message : String(e)}`,
      userMessage: "The payment provider is unavailable; retry with the same Idempotency-Key.",
      reason: "PROVIDER_UNAVAILABLE",
    });
  }
  await db().paymentOrder.update({
    where: { id: orderId },
    data: { providerSessionId: session.sessionId, checkoutUrl: session.url },
  });
  return session.url;
}
