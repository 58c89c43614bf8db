import "server-only";
/**
 * The closed list of reasons the app-stores domain gives in `error.reason` (AppError's `reason`).
 * API clients may branch on them; the OpenAPI document publishes them (app/api/api-registry.ts), and
 * tests/unit/foundation/failure-reasons.test.ts fails when code under lib/app-stores/ gives one not listed here.
 */
export const appStoresFailureReasons = {
  WRONG_PRODUCT_TYPE:
    "The store product is mapped to something sold another way (a one-time purchase, or a subscription).",
  APPLE_API_NOT_CONFIGURED:
    "No App Store Server API key is configured (APPLE_API_KEY_PATH, APPLE_API_KEY_ID, APPLE_API_ISSUER_ID).",
  MALFORMED_TRANSACTION: "The signed transaction or purchase lacks a valid field.",
  APPLE_NOT_CONFIGURED: "This portal takes no App Store purchases.",
  WRONG_APP: "The signed payload is for another app (bundle id or app id).",
  WRONG_ENVIRONMENT: "The signed payload is from another App Store environment.",
  VERIFICATION_RETRYABLE: "The signature could not be checked now; retry later.",
  BAD_SIGNATURE: "The signed payload does not verify against Apple's certificates.",
  PURCHASE_NOT_FOUND: "Google Play does not know this purchase.",
  GOOGLE_PLAY_API_FAILED: "Google Play's API did not answer about this purchase.",
  GOOGLE_PLAY_NOT_CONFIGURED: "This portal takes no Google Play purchases.",
  MALFORMED_NOTIFICATION: "The notification is not a JSON object of the store's shape.",
  FAMILY_SHARED: "A family-shared purchase: it is recorded, but pays for nothing here.",
  FREE: "The purchase cost nothing.",
  BAD_PRICE: "The purchase's price is not valid.",
  BUYER_NOT_THEATER_ADMIN:
    "A license bought in the app needs the app account token of an admin of the product's theater.",
  TRANSACTION_NOT_FOUND: "No such store transaction.",
  FUNDER_NOT_SIGNED_IN:
    "A funding bought in the app needs the app account token of the signed-in Guildhall account that funds.",
  UNKNOWN_RELEASE_LINE: "No such release line.",
  UNKNOWN_HOST: "No such host.",
  USER_TOKEN_REQUIRED: "An app account token is made for a signed-in user; this token names no user.",
  THEATER_NOT_FOUND: "No such theater.",
  PLAN_NOT_FOUND: "That plan is not on offer.",
  PRODUCT_ALREADY_MAPPED: "The store product is already mapped.",
  UNKNOWN_PRODUCT: "The store product is not mapped to anything Guildhall sells.",
  SEVERAL_PRODUCTS: "A Google Play purchase of several products at once is not taken; each must be bought alone.",
  BAD_PUSH_TOKEN: "The push request's OIDC token does not verify.",
  PUSH_KEYS_UNAVAILABLE: "The push token could not be checked now; retry later.",
} as const;

declare module "@/lib/errors/app-error" {
  interface FailureReasonLists {
    appStores: typeof appStoresFailureReasons;
  }
}
