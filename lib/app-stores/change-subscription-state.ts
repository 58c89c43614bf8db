import "server-only";
import type { Tx } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { enqueueEffect } from "@/lib/outbox/enqueue-effect";
import { extendLicenseGracePeriod } from "@/lib/licensing/extend-license-grace-period";
import { suspendStoreLicenseEffect } from "@/lib/app-stores/store-license-effects";
import type { StoreName } from "@/lib/app-stores/store-transaction";

export type SubscriptionState =
  | "active"
  | "grace_period"
  | "billing_retry"
  | "expired"
  | "refunded"
  | "revoked"
  // Google Play's: renewal turned off (runs to its paid end), account hold and pause (no access past the paid end).
  | "canceled"
  | "on_hold"
  | "paused";

export type SubscriptionChange = {
  store: StoreName;
  originalTransactionId: string;
  state: SubscriptionState;
  /** The store's timestamp of the notification: a change older than the recorded state is not applied. */
  at: Date;
  expiresAt?: Date | null;
  /** While in a grace period, the license stays valid until this moment. */
  graceUntil?: Date | null;
};

/**
 * Records what a store says of a subscription, in the order of the store's
 * own timestamps (a notification delivered late never undoes a newer one).
 * What the license does: in a grace period it stays valid until the grace
 * period ends; in billing retry or once expired it simply runs to the end of
 * its paid term, as it does when canceled, on hold or paused (licenses expire by date, no job flips them); revoked, it is
 * suspended. Money is never moved here: purchases and refunds are recorded
 * by transaction, whatever the order they arrive in.
 */
export async function changeSubscriptionState(
  tx: Tx,
  change: SubscriptionChange,
): Promise<"applied" | "stale" | "unknown"> {
  const key = { store: change.store, originalTransactionId: change.originalTransactionId };
  const [sub] = await tx.$queryRaw<{ licenseId: string; state: string; stateAt: Date }[]>`
    SELECT "licenseId", "state", "stateAt" FROM "StoreSubscription"
    WHERE "store" = ${change.store} AND "originalTransactionId" = ${change.originalTransactionId} FOR UPDATE`;
  if (!sub) return "unknown";
  if (sub.stateAt.getTime() > change.at.getTime()) return "stale";
  await tx.storeSubscription.update({
    where: { store_originalTransactionId: key },
    data: {
      state: change.state,
      stateAt: change.at,
      ...(change.expiresAt !== undefined ? { expiresAt: change.expiresAt } : {}),
    },
  });
  const actor = { type: "system" as const, id: change.store };
  if (change.state === "grace_period" && change.graceUntil)
    await extendLicenseGracePeriod(tx, {
      licenseId: sub.licenseId,
      until: change.graceUntil,
      reason: `${change.store} billing grace period`,
      actor,
    });
  if (change.state === "revoked")
    await enqueueEffect(
      tx,
      suspendStoreLicenseEffect,
      { licenseId: sub.licenseId, reason: `access revoked by the ${change.store} store` },
      `${suspendStoreLicenseEffect.kind}:${change.store}:revoke:${change.originalTransactionId}`,
    );
  if (sub.state !== change.state)
    await appendAuditEvent(tx, {
      actor,
      action: "store_subscription.state_changed",
      subject: { type: "store_subscription", id: `${change.store}:${change.originalTransactionId}` },
      state: { state: change.state, at: change.at },
      data: { from: sub.state, to: change.state, licenseId: sub.licenseId },
    });
  return "applied";
}
