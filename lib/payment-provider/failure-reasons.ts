import "server-only";
/**
 * The closed list of reasons the payment-provider domain gives in `error.reason` (AppError's `reason`).
 * API clients may branch on them; the OpenAPI document publishes them (app/api/api-registry.ts), and
 * tests/unit/foundation/failure-reasons.test.ts fails when code under lib/payment-provider/ gives one not listed here.
 */
export const paymentProviderFailureReasons = {
  PROVIDER_NOT_CONFIGURED: "The payment provider is not configured.",
  PROVIDER_UNAVAILABLE: "The payment provider did not answer; retry with the same key.",
  PROVIDER_REFUSED: "The payment provider refused (an amount below its minimum, for one): see the message.",
} as const;

declare module "@/lib/errors/app-error" {
  interface FailureReasonLists {
    paymentProvider: typeof paymentProviderFailureReasons;
  }
}
