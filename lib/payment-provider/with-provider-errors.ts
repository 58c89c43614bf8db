import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { ProviderRefusal } from "@/lib/payment-provider/provider";

/**
 * A provider that refuses a checkout (an amount below its minimum, a currency it does not take) is the
 * caller's problem, answered 422 with the provider's reason; one that cannot be reached is a 503 to retry.
 */
export async function withProviderErrors<T>(call: () => Promise<T>, what = "checkout"): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof ProviderRefusal)
      throw new AppError("UNPROCESSABLE", {
        message: `provider refused the ${what}: ${e.code}: ${e.message}`,
        userMessage: `The payment provider refused this ${what}: ${e.message}`,
        reason: "PROVIDER_REFUSED",
      });
    throw new AppError("UNAVAILABLE", {
      message: `provider ${what} failed: ${e instanceof Error ? e.message : String(e)}`,
      userMessage: "The payment provider is unavailable; retry with the same Idempotency-Key.",
      reason: "PROVIDER_UNAVAILABLE",
    });
  }
}
