import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { enqueueEffect } from "@/lib/outbox/enqueue-effect";
import type { GooglePlayConfig } from "@/lib/config/app-stores";
import type { GooglePlayPurchaseState } from "@/lib/app-stores/read-google-play-purchase";
import { getStoreProductOrThrow } from "@/lib/app-stores/store-products";
import { recordStoreTransaction } from "@/lib/app-stores/record-store-transaction";
import { changeSubscriptionState } from "@/lib/app-stores/change-subscription-state";
import { refundStoreTransaction } from "@/lib/app-stores/refund-store-transaction";
import { acknowledgeGooglePurchaseEffect } from "@/lib/app-stores/acknowledge-google-purchase";
import type { NotificationOutcome } from "@/lib/app-stores/act-on-apple-notification";
import { userOfAppAccountToken } from "@/lib/app-stores/app-account-token";
import { actOnGoogleFundingNotification } from "@/lib/app-stores/act-on-google-funding-notification";
import type { StoreTransactionFacts } from "@/lib/app-stores/store-transaction";
import { flagUnmappedRenewalProducts } from "@/lib/app-stores/flag-unmapped-renewal-products";
import { raiseFinanceAlert } from "@/lib/finance-alerts/raise-finance-alert";

type GoogleOutcome = NotificationOutcome & { orderRecorded?: boolean };

/**
 * What one verified Google Play notification does, in the transaction that
 * records its message id, from what the Play Developer API said of its
 * purchase. The order is recorded first (idempotent by Google's order id), so
 * a refund whose purchase notification was missed records the purchase, then
 * the refund. A subscription's state follows in the order of Google's
 * eventTimeMillis (a late, older notification changes no newer state). What
 * was recorded is acknowledged after commit. A deferred replacement by a
 * product not mapped is told to finance as soon as it is notified
 * (flagUnmappedRenewalProducts), long before the renewal that would be refused.
 */
export async function actOnGooglePlayNotification(
  tx: Tx,
  read: GooglePlayPurchaseState,
  config: GooglePlayConfig,
): Promise<GoogleOutcome> {
  const outcome = await actOnGooglePurchase(tx, read, config);
  const flagged = read.subscription?.renewsInto.length
    ? await flagUnmappedRenewalProducts(tx, {
        store: "google",
        subscriptionId: read.subscription.token,
        productIds: read.subscription.renewsInto,
        renewsAt: read.subscription.expiresAt,
      })
    : [];
  if (flagged.length === 0) return outcome;
  return { ...outcome, note: `${outcome.note ?? ""}; renews into ${flagged.join(", ")}, not mapped: finance alerted` };
}

async function actOnGooglePurchase(
  tx: Tx,
  read: GooglePlayPurchaseState,
  config: GooglePlayConfig,
): Promise<GoogleOutcome> {
  const { type } = read;
  if (read.kind === "test") return { outcome: "handled", note: "test notification" };
  // A subscription that funds a release line or host is a funder's payments, not an order.
  const asFunding = await actOnGoogleFundingNotification(tx, read, config);
  if (asFunding) return asFunding;
  if (!read.facts) {
    const applied = read.subscription
      ? await changeSubscriptionState(tx, {
          store: "google",
          originalTransactionId: read.subscription.token,
          state: read.subscription.state,
          at: read.at,
        })
      : null;
    const note = `${type}: no order (${read.skipped ?? "nothing to record"})${applied ? `; subscription ${applied}` : ""}`;
    return { outcome: applied === "applied" ? "handled" : "ignored", note };
  }
  const product = await getStoreProductOrThrow(tx, { store: "google", productId: read.facts.productId });
  const subscriptionFacts = read.facts.originalTransactionId !== read.facts.transactionId;
  if ((product.kind === "license") !== subscriptionFacts)
    throw new AppError("UNPROCESSABLE", {
      reason: "WRONG_PRODUCT_TYPE",
      userMessage: `The google product ${read.facts.productId} is mapped to a ${product.kind}, which is sold ${product.kind === "license" ? "as a subscription" : "as a one-time product"}.`,
    });
  if (read.subscription) {
    const refused = await refuseSeveralPlans(tx, read.subscription.token, read.subscription.productIds);
    if (refused) return { outcome: "ignored", note: `${type}: ${refused}` };
  }
  if (read.subscription?.linkedToken) await continueLinkedSubscription(tx, read.facts, read.subscription.linkedToken);
  // An item added in the period was paid by an order of its own: each paid order is recorded, oldest first.
  for (const earlier of read.earlierFacts ?? [])
    await recordStoreTransaction(tx, earlier, { commissionBps: config.commissionBps });
  const recorded = await recordStoreTransaction(tx, read.facts, { commissionBps: config.commissionBps });
  if (!recorded.recorded) return { outcome: "ignored", note: `${type}: no order (${recorded.reason.toLowerCase()})` };
  const recordedNote = `order ${recorded.orderId}${recorded.created ? " recorded" : ""}`;
  const orderRecorded = recorded.created;
  if (read.acknowledge)
    await enqueueEffect(
      tx,
      acknowledgeGooglePurchaseEffect,
      read.acknowledge,
      `${acknowledgeGooglePurchaseEffect.kind}:${read.facts.transactionId}`,
    );
  if (read.kind === "voided") {
    const { refunded } = await refundStoreTransaction(tx, {
      store: "google",
      transactionId: read.facts.transactionId,
      refundedTotalMinor: read.refundedTotalMinor,
      reason: "refunded by Google Play",
    });
    return {
      orderRecorded,
      outcome: refunded ? "handled" : "ignored",
      note: `${type}: ${recordedNote}; refund ${refunded ? "recorded" : "already recorded"}`,
    };
  }
  if (read.subscription && recorded.licenseId) {
    const applied = await changeSubscriptionState(tx, {
      store: "google",
      originalTransactionId: read.subscription.token,
      state: read.subscription.state,
      at: read.at,
      expiresAt: read.subscription.expiresAt,
      graceUntil: read.subscription.graceUntil,
    });
    const pending = read.subscription.pending.length ? `; at renewal: ${read.subscription.pending.join(", ")}` : "";
    return { orderRecorded, outcome: "handled", note: `${type}: ${recordedNote}; subscription ${applied}${pending}` };
  }
  return { orderRecorded, outcome: "handled", note: `${type}: ${recordedNote}` };
}

/**
 * A subscription that replaces another (Google gives the new purchase a new
 * token and names the old one as linkedPurchaseToken: a resubscription, an
 * upgrade or a downgrade) keeps the license of the one it replaces, so the
 * theater keeps one license and its certificates. Only when the same account
 * bought both and the new product is for the same theater; otherwise the new
 * purchase is a subscription of its own. A new product (an upgrade or a
 * downgrade) moves the license to that product's plan when its order is
 * recorded (recordStoreTransaction).
 */
async function continueLinkedSubscription(tx: Tx, facts: StoreTransactionFacts, linkedToken: string) {
  const already = await tx.storeSubscription.findUnique({
    where: { store_originalTransactionId: { store: "google", originalTransactionId: facts.originalTransactionId } },
  });
  if (already) return;
  const linked = await tx.storeSubscription.findUnique({
    where: { store_originalTransactionId: { store: "google", originalTransactionId: linkedToken } },
  });
  if (!linked) return;
  // One after another: the queries of an interactive transaction share one connection.
  const product = await getStoreProductOrThrow(tx, { store: "google", productId: facts.productId });
  const linkedProduct = await tx.storeProduct.findUnique({
    where: { store_productId: { store: "google", productId: linked.productId } },
  });
  const buyer = await userOfAppAccountToken(tx, facts.accountToken);
  if (!buyer || buyer !== linked.userId || linkedProduct?.theaterOrgId !== product.theaterOrgId) return;
  await tx.storeSubscription.create({
    data: {
      store: "google",
      originalTransactionId: facts.originalTransactionId,
      productId: facts.productId,
      licenseId: linked.licenseId,
      userId: buyer,
      state: linked.state,
      expiresAt: linked.expiresAt,
      stateAt: linked.stateAt,
    },
  });
}

/**
 * A Google subscription keeps one license, and a license has one plan: the items the buyer holds (several
 * line items, as when an add-on is bought with the base) must all be products mapped to the same plan of the
 * same theater (an add-on mapped to its base's plan counts for nothing more). One purchase token is one
 * subscription with one state (Google pauses, holds, cancels and expires it as a whole) and one license
 * follows it; two plans would be two licenses whose states could never differ, renewed by one order that
 * pays for both, with no share of that order Google names per license. So items of different plans are not
 * recorded. Refusing the notification would not help (Pub/Sub would retry it for days and the same answer
 * would come back): it is recorded as not acted on (200, its note says why), nothing else is recorded, a new
 * purchase is not acknowledged (Google refunds the buyer after three days), and finance is told at once
 * (a finance alert, once per subscription) to map the add-on to the base's plan and reconcile the token, or
 * refund the item in Play Console. Answers why, or null when the items are of one plan.
 */
async function refuseSeveralPlans(tx: Tx, token: string, productIds: string[]): Promise<string | null> {
  const products = [];
  // One after another: the queries of an interactive transaction share one connection.
  for (const id of new Set(productIds))
    products.push(await getStoreProductOrThrow(tx, { store: "google", productId: id }));
  const plans = new Set(products.map((p) => `${p.kind}:${p.theaterOrgId}:${p.planId}`));
  if (plans.size <= 1) return null;
  const why = `several plans: the items ${productIds.join(", ")} are mapped to different license plans; a license has one`;
  await raiseFinanceAlert(tx, {
    key: `store-several-plans:google:${token}`,
    kind: "store_purchase_not_recorded",
    message:
      `A Google Play subscription (${token}) holds items mapped to different license plans ` +
      `(${productIds.join(", ")}), so its orders are not recorded (a license has one plan), and a new purchase ` +
      "is not acknowledged (Google refunds it after three days). Map the add-ons to the base's plan and run " +
      `npm run cli -- appstore google reconcile --token ${token}, or refund the item in Play Console.`,
  });
  return `${why} (not recorded, finance alerted)`;
}
