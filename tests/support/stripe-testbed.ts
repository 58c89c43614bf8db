import Stripe from "stripe";
import { afterAll, beforeAll } from "vitest";
import { resetEnvForTests } from "@/lib/config/env";
import { handleStripeWebhook } from "@/lib/payments/handle-stripe-webhook";
import { startStripeDouble, type StripeDouble } from "./stripe-double";

/** Signs test events as Stripe does (the SDK's own helper); its key is never used for a request. */
const signer = new Stripe("sk_test_signer");

export type StripeTestbed = {
  /** The double, started before the file's first test. */
  readonly double: StripeDouble;
  /** The platform endpoint's signing secret, and the Connect endpoint's. */
  readonly secret: string;
  readonly connectSecret: string;
  /** A Stripe-Signature header for a raw body (the platform secret unless another is named). */
  signed(payload: string, opts?: { secret?: string; timestamp?: number }): string;
  /** An event as Stripe delivers it: serialised once, signed, handed to the webhook handler. */
  deliver(
    event: Record<string, unknown>,
    opts?: { endpoint?: "platform" | "connect" },
  ): ReturnType<typeof handleStripeWebhook>;
  /** Guildhall's payment provider is Stripe, reached at the double. */
  useStripe(): void;
  /** Guildhall's payment provider is the simulated one (no Stripe key). */
  useSimulated(): void;
};

/**
 * One Stripe double per test file with the webhook signing that goes with it: started before the file's tests
 * (Guildhall pointed at it unless `startWith: "simulated"`), closed after them with the simulated provider
 * put back, so the next file starts from the default.
 */
export function useStripeDouble(
  opts: Parameters<typeof startStripeDouble>[0] & { startWith?: "stripe" | "simulated" } = {},
): StripeTestbed {
  let started: StripeDouble | undefined;
  const secret = "whsec_test_guildhall";
  const connectSecret = "whsec_test_guildhall_connect";
  const testbed: StripeTestbed = {
    get double() {
      if (!started) throw new Error("the Stripe double starts in beforeAll: use it inside a test");
      return started;
    },
    secret,
    connectSecret,
    signed: (payload, o = {}) =>
      signer.webhooks.generateTestHeaderString({ payload, secret: o.secret ?? secret, timestamp: o.timestamp }),
    deliver(event, o = {}) {
      const raw = JSON.stringify(event);
      const endpointSecret = o.endpoint === "connect" ? connectSecret : secret;
      return handleStripeWebhook(raw, testbed.signed(raw, { secret: endpointSecret }), {
        secret: endpointSecret,
        endpoint: o.endpoint,
      });
    },
    useStripe() {
      process.env.STRIPE_SECRET_KEY = "sk_test_guildhall";
      process.env.STRIPE_API_BASE = testbed.double.url;
      resetEnvForTests();
    },
    useSimulated() {
      delete process.env.STRIPE_SECRET_KEY;
      delete process.env.STRIPE_API_BASE;
      resetEnvForTests();
    },
  };
  const { startWith, ...doubleOptions } = opts;
  beforeAll(async () => {
    started = await startStripeDouble(doubleOptions);
    if (startWith !== "simulated") testbed.useStripe();
  });
  afterAll(async () => {
    testbed.useSimulated();
    await started?.close();
  });
  return testbed;
}
