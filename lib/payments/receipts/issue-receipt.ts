import "server-only";
import { CompactSign } from "jose";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { canonicalJson } from "@/lib/crypto/canonical-json";
import { getActiveSigningKey } from "@/lib/keys/get-active-signing-key";
import { defineEffect } from "@/lib/outbox/define-effect";
import { buildReceiptClaims } from "@/lib/payments/receipts/build-receipt-claims";
import { RECEIPT_TYP } from "@/lib/payments/receipts/receipt-schema";

export type ReceiptRow = {
  id: string;
  orderId: string;
  buyerUserId: string | null;
  theaterOrgId: string;
  kind: string;
  jws: string;
  issuedAt: Date;
};

/**
 * The signed receipt of a paid order, made on first asking and kept: the
 * outbox asks right after the order is paid (issueReceiptEffect, queued by
 * markOrderPaid), and any reader that finds none yet (the checkout API, the
 * buyer's purchases page) asks too, so a receipt never waits for the outbox.
 * Null for an order that is not paid. Two askers at once make one receipt:
 * the order id is unique and the loser reads the winner's.
 */
export async function issueReceipt(orderId: string): Promise<ReceiptRow | null> {
  const existing = await db().receipt.findUnique({ where: { orderId } });
  if (existing) return existing;
  const order = await db().paymentOrder.findUnique({ where: { id: orderId } });
  if (order?.status !== "paid") return null;
  const key = await getActiveSigningKey("receipt");
  const now = new Date();
  const id = newId("rcp");
  const claims = await db().$transaction((tx) => buildReceiptClaims(tx, order, id, now));
  // Canonical JSON, so the signed bytes are the one form anyone recomputes from the claims.
  const jws = await new CompactSign(new TextEncoder().encode(canonicalJson(claims)))
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: RECEIPT_TYP })
    .sign(key.privateKey);
  await db().receipt.createMany({
    data: [
      {
        id,
        orderId,
        buyerUserId: order.buyerUserId,
        theaterOrgId: order.theaterOrgId,
        kind: claims.kind,
        jws,
        issuedAt: now,
      },
    ],
    skipDuplicates: true,
  });
  return db().receipt.findUniqueOrThrow({ where: { orderId } });
}

/** Queued when an order is paid, so every sale has its receipt without anyone asking. */
export const issueReceiptEffect = defineEffect({
  kind: "receipt.issue",
  schema: z.object({ orderId: z.string().min(1) }),
  async handle({ orderId }) {
    await issueReceipt(orderId);
  },
});
