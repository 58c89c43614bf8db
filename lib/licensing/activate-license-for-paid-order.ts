import "server-only";
import { invalidateLocalCaches } from "@/lib/db/invalidation-feed";
import { z } from "zod";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { log } from "@/lib/log";
import { enqueueEffect } from "@/lib/outbox/enqueue-effect";
import { emitWebhookEvent } from "@/lib/webhooks/emit-webhook-event";
import { reissueCertificatesEffect } from "@/lib/licensing/reissue-certificates-for-renewal";

const DAY_MS = 86_400_000;

export type PaidLicenseOrder = {
  id: string;
  /** paidUntil: the end of the period a store's order pays for, when the store states it (Google Play). */
  fulfilment: { kind: "license"; licenseId: string; paidUntil?: string };
  paidAt: Date;
};

/**
 * The fulfiller payments calls, inside its own transaction, when an order for
 * a license is paid. A pending license becomes active for one term from the
 * payment; a license that is active or expired is extended by one term from
 * its end (or from the payment, when it had already ended), and its current
 * certificate is re-issued to the new end with the same key: as an outbox
 * effect, because signing needs keys this transaction (owned by payments)
 * should not wait on. Idempotent per
 * order: a second call with the same order id changes nothing. A suspended or
 * revoked license is not extended (the payment is kept; finance settles it).
 */
export async function activateLicenseForPaidOrder(tx: Tx, order: PaidLicenseOrder) {
  const applied = await tx.licenseOrder.findUnique({ where: { orderId: order.id } });
  if (applied) return { licenseId: applied.licenseId, validUntil: applied.validUntil, alreadyApplied: true };

  // Row lock: a renewal and an issuance on the same license serialize here.
  await tx.$queryRaw`SELECT "id" FROM "License" WHERE "id" = ${order.fulfilment.licenseId} FOR UPDATE`;
  const license = await tx.license.findUnique({ where: { id: order.fulfilment.licenseId } });
  if (!license)
    throw new AppError("NOT_FOUND", {
      reason: "LICENSE_NOT_FOUND",
      message: `order ${order.id} names unknown license ${order.fulfilment.licenseId}`,
    });
  if (license.status === "SUSPENDED" || license.status === "REVOKED") {
    log.warn(
      { orderId: order.id, licenseId: license.id, status: license.status },
      "paid order for a license that cannot be extended",
    );
    throw new AppError("CONFLICT", {
      reason: `LICENSE_${license.status}` as const,
      message: `license ${license.id} is ${license.status.toLowerCase()}`,
    });
  }

  const kind = license.status === "PENDING_PAYMENT" ? "activation" : "renewal";
  const from =
    kind === "renewal" && license.validUntil && license.validUntil > order.paidAt ? license.validUntil : order.paidAt;
  const validUntil = order.fulfilment.paidUntil
    ? paidToStoreEnd(from, kind, new Date(order.fulfilment.paidUntil))
    : new Date(from.getTime() + license.termDays * DAY_MS);
  const validFrom = kind === "activation" ? order.paidAt : (license.validFrom ?? order.paidAt);

  await tx.license.update({
    where: { id: license.id },
    data: { status: "ACTIVE", validFrom, validUntil, statusReason: null },
  });
  // The cached standing (trust mark status) of this process goes at once; others' at the trigger's notification.
  invalidateLocalCaches();
  await tx.licenseOrder.create({
    data: { orderId: order.id, licenseId: license.id, kind, paidAt: order.paidAt, validUntil },
  });
  await appendAuditEvent(tx, {
    actor: { type: "system", id: "payments" },
    action: kind === "activation" ? "license.activated" : "license.renewed",
    subject: { type: "license", id: license.id },
    state: { status: "ACTIVE", validFrom, validUntil },
    data: { orderId: order.id, validUntil: validUntil.toISOString() },
  });
  if (kind === "activation")
    await emitWebhookEvent(tx, {
      type: "license.activated",
      orgId: license.theaterOrgId,
      toHosts: true,
      data: {
        licenseId: license.id,
        theaterOrgId: license.theaterOrgId,
        planId: license.planId,
        validUntil: validUntil.toISOString(),
      },
    });
  if (kind === "renewal")
    await enqueueEffect(
      tx,
      reissueCertificatesEffect,
      { licenseId: license.id },
      `${reissueCertificatesEffect.kind}:${order.id}`,
    );
  return { licenseId: license.id, validUntil, alreadyApplied: false };
}

/**
 * A store that states the end of the period an order pays for (Google Play's servicePeriodEndTime) sets the
 * license's end itself, rather than one term from the last: a renewal runs to the store's next end, and an
 * order in the middle of a period (an item added to the subscription, prorated to the same end) pays for no
 * more time. The end never moves back: a late, older order leaves a later end as it is.
 */
function paidToStoreEnd(from: Date, kind: "activation" | "renewal", paidUntil: Date): Date {
  if (kind === "activation") return paidUntil;
  return paidUntil > from ? paidUntil : from;
}

const licenseFulfilmentSchema = z.object({
  kind: z.literal("license"),
  licenseId: z.string().min(1),
  paidUntil: z.iso.datetime().optional(),
});

/** The fulfiller of orders of kind "license", listed in the composition root (lib/composition). */
export async function fulfilLicenseOrder(
  tx: Tx,
  order: { id: string; fulfilment: unknown; paidAt: Date },
): Promise<void> {
  await activateLicenseForPaidOrder(tx, {
    id: order.id,
    fulfilment: licenseFulfilmentSchema.parse(order.fulfilment),
    paidAt: order.paidAt,
  });
}
