import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { sha256Hex } from "@/lib/crypto/hash";
import { getActiveSplitPolicyOrThrow } from "@/lib/splits/get-active-split-policy";
import { fundedHostIds } from "@/lib/funding/funding-hosts";

/** A store subscription's funding: one per subscription (Apple's original transaction, Google's purchase token). */
export const storeFundingIdOf = (store: string, subscriptionId: string) =>
  `fnd_${sha256Hex(`store:${store}:${subscriptionId}`).slice(0, 32)}`;

export type StoreFundingStart = {
  /** The funding's id: storeFundingIdOf the subscription, or of the subscription and target after a product change. */
  fundingId: string;
  store: "apple" | "google";
  /** Apple's original transaction id, or Google's purchase token: the subscription the funding follows. */
  subscriptionId: string;
  /** Whether this funding follows the subscription from now on (holds its id); false for a late older period. */
  follows: boolean;
  releaseLineId: string | null;
  hostOrgId: string | null;
  funderUserId: string;
  /** The name the line's page shows: the replaced funding's, when its funder chose one; else anonymous. */
  publicName: string | null;
  /** What one period costs, in the currency of the first purchase. */
  amountMinor: number;
  currency: string;
};

/**
 * The funding an app-store subscription makes, in the caller's transaction (the one that records its first
 * paid period): a monthly funding of the product's release line or host by the account whose app account
 * token the purchase carries, pending until that payment is recorded, anonymous on the line's page (the app
 * has no field for a public name). Refused as a web funding is, changing nothing (the store retries, and
 * reconciliation records it once the cause is fixed): a line no admitted host runs or a host not admitted
 * (NO_HOST_TO_FUND), no active funding policy in the currency. Answers the existing funding when there is one.
 */
export async function openStoreFunding(tx: Tx, { start, actor }: { start: StoreFundingStart; actor: Actor }) {
  const id = start.fundingId;
  const existing = await tx.funding.findUnique({ where: { id } });
  if (existing) return existing;
  const target = { releaseLineId: start.releaseLineId, hostOrgId: start.hostOrgId };
  if ((await fundedHostIds(tx, target)).length === 0)
    throw new AppError("UNPROCESSABLE", {
      userMessage: start.releaseLineId
        ? "No admitted host runs this release line: the store's funding would reach nobody who keeps it running."
        : "This host is not admitted: it cannot be funded.",
      reason: "NO_HOST_TO_FUND",
    });
  await getActiveSplitPolicyOrThrow(tx, { productKind: "LINE_FUNDING", currency: start.currency });
  const funding = await tx.funding.create({
    data: {
      id,
      ...target,
      funderUserId: start.funderUserId,
      publicName: start.publicName,
      interval: "month",
      amountMinor: BigInt(start.amountMinor),
      currency: start.currency,
      provider: start.store,
      providerSubscriptionId: start.follows ? start.subscriptionId : null,
    },
  });
  await appendAuditEvent(tx, {
    actor,
    action: "funding.started",
    subject: { type: "funding", id },
    state: { ...target, interval: "month", channel: start.store },
    data: {
      ...target,
      interval: "month",
      amountMinor: String(start.amountMinor),
      currency: start.currency,
      channel: start.store,
      funderUserId: start.funderUserId,
    },
  });
  return funding;
}
