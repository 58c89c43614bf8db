import "server-only";
import { APIException, Status } from "@apple/app-store-server-library";
import { db } from "@/lib/db/client";
import { alertFinanceOfRefusals } from "@/lib/finance-alerts/alert-on-refusal";
import { appleConfigOrThrow, verifyAppleRenewalInfo, verifyAppleTransaction } from "@/lib/app-stores/apple-verifier";
import { appleApiClient } from "@/lib/app-stores/apple-api-client";
import { appleTransactionFacts } from "@/lib/app-stores/apple-transaction-facts";
import { recordStoreTransaction } from "@/lib/app-stores/record-store-transaction";
import { changeSubscriptionState, type SubscriptionState } from "@/lib/app-stores/change-subscription-state";
import { storeTransactionOptions } from "@/lib/app-stores/store-transaction";
import { fundingProductOf, recordStoreFunding } from "@/lib/app-stores/record-store-funding";
import { applyStoreFundingState, type StoreFundingStatus } from "@/lib/funding/apply-store-funding-state";
import { storeFundingIdOf } from "@/lib/funding/open-store-funding";
import { currentStoreFundingOf } from "@/lib/funding/end-replaced-store-funding";

const stateOfStatus: Record<number, SubscriptionState> = {
  [Status.ACTIVE]: "active",
  [Status.EXPIRED]: "expired",
  [Status.BILLING_RETRY]: "billing_retry",
  [Status.BILLING_GRACE_PERIOD]: "grace_period",
  [Status.REVOKED]: "revoked",
};

/** A funding's state from Apple's status: a billing problem is a renewal Apple retries; expired or revoked ended it. */
const fundingStatusOf: Record<string, StoreFundingStatus> = {
  active: "active",
  expired: "canceled",
  billing_retry: "past_due",
  grace_period: "past_due",
  revoked: "canceled",
};

export type AppleStatusReconciliation = { state: SubscriptionState | null; applied: "applied" | "stale" | "unknown" };

/**
 * A subscription's current state, asked of Apple (Get All Subscription Statuses) when its notifications may
 * have been lost: Guildhall believes it active past its paid end, yet no renewal, expiry or billing problem
 * came. Apple's latest transaction of it is verified and recorded (a missed renewal becomes its paid order,
 * idempotently), then its status becomes the subscription's state, dated by Apple's own signing time of that
 * answer, so a notification Apple signed later still wins and an older one arriving later changes nothing. A
 * funding bought in the app is reconciled the same way: its latest period recorded as a funder's payment, the
 * status its funding's state (applyStoreFundingState).
 */
export async function reconcileAppleSubscriptionStatus(
  originalTransactionId: string,
): Promise<AppleStatusReconciliation> {
  const config = appleConfigOrThrow();
  let response: Awaited<ReturnType<ReturnType<typeof appleApiClient>["getAllSubscriptionStatuses"]>>;
  try {
    response = await appleApiClient().getAllSubscriptionStatuses(originalTransactionId);
  } catch (e) {
    // Apple does not know the transaction (404): nothing to apply. Anything else (Apple down) throws: the
    // sweep tries again next round.
    if (e instanceof APIException && e.httpStatusCode === 404) return { state: null, applied: "unknown" };
    throw e;
  }
  const item = (response.data ?? [])
    .flatMap((group) => group.lastTransactions ?? [])
    .find((t) => t.originalTransactionId === originalTransactionId);
  if (!item?.signedTransactionInfo || item.status === undefined) return { state: null, applied: "unknown" };
  const transaction = await verifyAppleTransaction(item.signedTransactionInfo);
  const renewal = item.signedRenewalInfo ? await verifyAppleRenewalInfo(item.signedRenewalInfo) : null;
  const facts = appleTransactionFacts(transaction);
  const state = stateOfStatus[item.status] ?? null;
  if (!state) return { state: null, applied: "unknown" };
  const at = new Date(Math.max(transaction.signedDate ?? 0, renewal?.signedDate ?? 0));
  const applied = await alertFinanceOfRefusals(() =>
    db().$transaction(async (tx) => {
      // A funding bought in the app: its latest period is a funder's payment, the status its funding's state.
      const funding = await fundingProductOf(tx, "apple", facts.productId);
      if (funding) {
        const recorded = await recordStoreFunding(tx, facts, funding, { commissionBps: config.commissionBps });
        const status = state === "active" && renewal?.autoRenewStatus === 0 ? "canceling" : fundingStatusOf[state];
        // The subscription's state is that of the funding following it now (after a product change, the new one's).
        const current = await currentStoreFundingOf(tx, "apple", originalTransactionId);
        return applyStoreFundingState(tx, {
          fundingId: current?.id ?? recorded.fundingId ?? storeFundingIdOf("apple", originalTransactionId),
          change: { status, at },
          actor: { type: "system", id: "apple" },
        });
      }
      await recordStoreTransaction(tx, facts, { commissionBps: config.commissionBps });
      return changeSubscriptionState(tx, {
        store: "apple",
        originalTransactionId,
        state,
        at,
        expiresAt: facts.expiresAt,
        graceUntil:
          state === "grace_period" && renewal?.gracePeriodExpiresDate ? new Date(renewal.gracePeriodExpiresDate) : null,
      });
    }, storeTransactionOptions),
  );
  return { state, applied };
}
