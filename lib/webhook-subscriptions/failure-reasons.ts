import "server-only";
/**
 * The closed list of reasons the webhook-subscriptions domain gives in `error.reason` (AppError's `reason`).
 * API clients may branch on them; the OpenAPI document publishes them (app/api/api-registry.ts), and
 * tests/unit/foundation/failure-reasons.test.ts fails when code under lib/webhook-subscriptions/ gives one not listed here.
 */
export const webhookSubscriptionsFailureReasons = {
  EVENT_NOT_FOR_ORG: "This kind of organization does not receive these events.",
  PRIVATE_ADDRESS:
    "The URL's host name resolves to an address inside a private network; Guildhall does not post there.",
  TOO_MANY_SUBSCRIPTIONS: "The organization has as many active webhook subscriptions as it may.",
  NO_REASON: "Give a reason of 5 to 500 characters.",
  NO_SUCH_SUBSCRIPTION: "No such subscription.",
  ALREADY_DISABLED: "This subscription is already stopped.",
  NOT_STOPPED_BY_IMPORT:
    "Only a subscription that came stopped with an import is resumed; one stopped here stays stopped: subscribe the URL anew.",
  NOT_ORG_MANAGER: "Only the organization's managers see and change its webhooks.",
  NO_SUCH_DELIVERY: "No such delivery.",
  SUBSCRIPTION_DISABLED: "The subscription is stopped; nothing is sent to it.",
  ALREADY_PENDING: "This delivery is being sent already.",
} as const;

declare module "@/lib/errors/app-error" {
  interface FailureReasonLists {
    webhookSubscriptions: typeof webhookSubscriptionsFailureReasons;
  }
}
