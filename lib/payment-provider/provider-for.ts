import "server-only";
import { AppError } from "@/lib/errors/app-error";
import type { PaymentProvider } from "@/lib/payment-provider/provider";
import { simulatedProvider } from "@/lib/payment-provider/simulated-provider";
import { getPaymentProvider } from "@/lib/payment-provider/get-payment-provider";

/** The provider that handled an order or sent an event (an order keeps the provider it was opened with). */
export function providerFor(name: string): PaymentProvider {
  if (name === "simulated") return simulatedProvider;
  const configured = getPaymentProvider();
  if (configured.name !== name)
    throw new AppError("UNAVAILABLE", {
      userMessage: `The ${name} provider is not configured.`,
      reason: "PROVIDER_NOT_CONFIGURED",
    });
  return configured;
}
