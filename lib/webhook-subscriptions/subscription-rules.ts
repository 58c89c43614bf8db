import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { nonPublicAddressOf } from "@/lib/webhooks/public-address";

/**
 * The rules and the look-up every act on a subscription shares: subscribing, stopping and resuming one check them
 * alike, so a rule changes in one place.
 */

/** Active subscriptions an organization may hold: enough for every system it runs, not a fan-out amplifier. */
export const MAX_ACTIVE_SUBSCRIPTIONS = 10;

/** The reason a manager gives for stopping or resuming, trimmed; 5 to 500 characters (NO_REASON). */
export function requireActReason(reason: string): string {
  const why = reason.trim();
  if (why.length < 5 || why.length > 500)
    throw new AppError("VALIDATION_FAILED", {
      userMessage: "Give a reason of 5 to 500 characters.",
      reason: "NO_REASON",
    });
  return why;
}

/** Refuses a URL whose host resolves into a private network (PRIVATE_ADDRESS; each delivery checks again). */
export async function refusePrivateHost(url: string): Promise<void> {
  const { hostname } = new URL(url);
  const privateAddress = await nonPublicAddressOf(hostname);
  if (privateAddress)
    throw new AppError("VALIDATION_FAILED", {
      userMessage: `${hostname} resolves to ${privateAddress}, an address inside a private network: Guildhall does not post there.`,
      reason: "PRIVATE_ADDRESS",
    });
}

/** The organization's subscription of that id; another organization's is NOT_FOUND, whoever asks through this one. */
export async function findOrgSubscription(client: Pick<Tx, "webhookSubscription">, orgId: string, id: string) {
  const sub = await client.webhookSubscription.findFirst({ where: { id, orgId } });
  if (!sub) throw new AppError("NOT_FOUND", { userMessage: "No such subscription.", reason: "NO_SUCH_SUBSCRIPTION" });
  return sub;
}

/** Refuses one more active subscription once the organization holds the maximum (TOO_MANY_SUBSCRIPTIONS). */
export async function requireRoomForActiveSubscription(tx: Tx, orgId: string): Promise<void> {
  const active = await tx.webhookSubscription.count({ where: { orgId, status: "active" } });
  if (active >= MAX_ACTIVE_SUBSCRIPTIONS)
    throw new AppError("CONFLICT", {
      userMessage: `An organization has at most ${MAX_ACTIVE_SUBSCRIPTIONS} active webhook subscriptions.`,
      reason: "TOO_MANY_SUBSCRIPTIONS",
    });
}
