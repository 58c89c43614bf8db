/**
 * The states Google Play gives a subscription item's price change (`SubscriptionItemPriceChangeDetails.
 * priceChangeState`) and its price step-up consent (`PriceStepUpConsentDetails.state`). They cannot be taken
 * from the library: @googleapis/androidpublisher declares both fields as a plain `string` (build/v3.d.ts keeps
 * only each field's description) and ships no discovery document. So they are pinned here, once, as the enum
 * values of Google's discovery document for androidpublisher v3, which Google's generated clients carry as
 * constants (google/apiclient-services: src/AndroidPublisher/SubscriptionItemPriceChangeDetails.php and
 * PriceStepUpConsentDetails.php). The tests' Play double refuses a fixture with any other value
 * (tests/support/google-play-double.ts), so a name written from memory fails a test instead of a renewal.
 */
export const priceChangeStates = [
  "PRICE_CHANGE_STATE_UNSPECIFIED",
  /** Waiting for the user to agree to the price change. */
  "OUTSTANDING",
  /** Confirmed to happen for the user. */
  "CONFIRMED",
  /** Applied: the user is charged the new price. */
  "APPLIED",
  "CANCELED",
] as const;

export const priceStepUpConsentStates = [
  "CONSENT_STATE_UNSPECIFIED",
  /** The user has not consented yet. */
  "PENDING",
  /** The user consented; the new price is waiting to take effect. */
  "CONFIRMED",
  /** The user consented and the new price has taken effect. */
  "COMPLETED",
] as const;

/** A price change in one of these states is over (charged, or called off): nothing is scheduled any more. */
export const settledPriceChangeStates: ReadonlySet<string> = new Set<(typeof priceChangeStates)[number]>([
  "APPLIED",
  "CANCELED",
]);

/** A step-up in this state has taken effect: nothing is scheduled any more. */
export const settledConsentStates: ReadonlySet<string> = new Set<(typeof priceStepUpConsentStates)[number]>([
  "COMPLETED",
]);
