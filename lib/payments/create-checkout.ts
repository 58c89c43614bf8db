import "server-only";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/is-unique-violation";
import { newId } from "@/lib/ids";
import { env } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";
import { sha256Hex } from "@/lib/crypto/hash";
import { canonicalJson } from "@/lib/crypto/canonical-json";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import {
  checkoutInputSchema,
  MAX_ORDER_AMOUNT_MINOR,
  orderAmountMinor,
  type CheckoutParams,
} from "@/lib/payments/checkout-schema";
import { getPaymentProvider } from "@/lib/payment-provider/get-payment-provider";
import { expireOrForget, SESSION_END_MARGIN_MS } from "@/lib/payment-provider/expire-or-forget";
import { withProviderErrors } from "@/lib/payment-provider/with-provider-errors";
import { reconcileOrderPayment } from "@/lib/payments/reconcile-order-payment";
import { getActiveSplitPolicyOrThrow } from "@/lib/splits/get-active-split-policy";
import type { z } from "zod";
import { limits } from "@/lib/config/limits";

export type CreateCheckoutInput = z.input<typeof checkoutInputSchema> & {
  actor: Actor;
  /**
   * Whose idempotency keys these are, when not the actor's own: a theater's license purchase is one checkout
   * whichever of its admins presses the button (set by trusted callers in lib/, never from a request).
   */
  idempotencyScope?: string;
  /** Who the purchase is for (named on its receipt); by default the user who opens the checkout, if a user does. */
  buyerUserId?: string | null;
};
export type CreateCheckoutResult = { checkoutId: string; url: string };

function idempotencyScope(actor: Actor): string {
  return `${actor.type}:${actor.id}`;
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
  const { actor, idempotencyScope: scopeOverride, buyerUserId, ...raw } = input;
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
  const replay = idempotencyKey ? { scope: scopeOverride ?? idempotencyScope(actor), key: idempotencyKey } : null;
  const scope = replay?.scope ?? null;

  let order = replay ? await findReplay(replay.scope, replay.key, requestHash) : null;
  if (!order) {
    try {
      order = await insertOrder(params, amountMinor, actor, buyer, scope, requestHash);
    } catch (e) {
      if (replay && isUniqueViolation(e)) order = await findReplay(replay.scope, replay.key, requestHash);
      if (!order) throw e;
    }
  }
  return { checkoutId: order.id, url: await checkoutUrlOf(order, params) };
}

type StoredOrder = {
  id: string;
  status: string;
  provider: string;
  providerSessionId: string | null;
  checkoutUrl: string | null;
  checkoutExpiresAt: Date | null;
};

/**
 * Where to send the customer for an order. A session still taking payment is handed back as it is; one that
 * has ended (or is about to) is never handed back, since its page is dead: it is first expired at the
 * provider, so it can no longer take payment, and then replaced by a new one. A session that turns out to be
 * paid makes the order paid (its event may have been lost) and sends the customer to the success page.
 */
async function checkoutUrlOf(order: StoredOrder, params: CheckoutParams): Promise<string> {
  const successUrl = urlWithOrder(params.successPath, order.id);
  if (order.status === "paid") return successUrl;
  if (!order.providerSessionId) return openProviderSession(order.id, params, `checkout:${order.id}`);
  const endsAt = order.checkoutExpiresAt?.getTime() ?? 0;
  if (order.status === "open" && order.checkoutUrl && endsAt - Date.now() > SESSION_END_MARGIN_MS)
    return order.checkoutUrl;
  const oldSessionId = order.providerSessionId;
  const old = await withProviderErrors(() => expireOrForget(order.provider, oldSessionId));
  if (old.state === "paid") {
    const outcome = await reconcileOrderPayment(order.id);
    if (outcome === "paid" || outcome === "settled") return successUrl;
  }
  return openProviderSession(order.id, params, `checkout:${order.id}:after:${oldSessionId}`, oldSessionId);
}

function urlWithOrder(path: string, orderId: string): string {
  return `${env().publicUrl}${path}${path.includes("?") ? "&" : "?"}order=${orderId}`;
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
  actor: Actor,
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
    await getActiveSplitPolicyOrThrow(tx, { productKind: params.productKind, currency: params.currency });
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
        createdById: actor.id,
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

/**
 * Asks the provider for a session and records it on the order. A replacement (`replacing`, the ended
 * session) also reopens an order that had expired with it; two replacements at once send the same
 * idempotency key, get the same session and record it once.
 */
async function openProviderSession(
  orderId: string,
  params: CheckoutParams,
  idempotencyKey: string,
  replacing?: string,
): Promise<string> {
  const session = await withProviderErrors(() =>
    getPaymentProvider().createCheckoutSession({
      orderId,
      description: params.description,
      currency: params.currency,
      lineItems: params.lineItems,
      successUrl: urlWithOrder(params.successPath, orderId),
      cancelUrl: urlWithOrder(params.cancelPath, orderId),
      idempotencyKey,
    }),
  );
  const recorded = {
    providerSessionId: session.sessionId,
    checkoutUrl: session.url,
    checkoutExpiresAt: session.expiresAt,
    // The first look for an event that never came; the sweep then looks hourly until the session ends.
    reconcileAfter: new Date(Date.now() + limits.reconciliation.firstLookAtSessionMs),
  };
  if (!replacing) {
    await db().paymentOrder.update({ where: { id: orderId }, data: recorded });
    return session.url;
  }
  await db().$transaction(async (tx) => {
    const replaced = await tx.paymentOrder.updateMany({
      where: { id: orderId, providerSessionId: replacing, status: { in: ["open", "expired"] } },
      data: { ...recorded, status: "open", provider: getPaymentProvider().name },
    });
    if (replaced.count === 0) return;
    await appendAuditEvent(tx, {
      actor: { type: "system", id: "payments" },
      action: "checkout.session_replaced",
      subject: { type: "order", id: orderId },
      state: { status: "open", expiresAt: session.expiresAt.toISOString() },
      data: { previousSessionId: replacing, sessionId: session.sessionId },
    });
  });
  return session.url;
}
