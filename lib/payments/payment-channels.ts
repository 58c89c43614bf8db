/** The ways money comes in: the card processor, the simulated one, and the app stores. */
export const paymentChannels = ["stripe", "simulated", "apple", "google"] as const;
export type PaymentChannel = (typeof paymentChannels)[number];

const labels: Record<PaymentChannel, string> = {
  stripe: "Stripe",
  simulated: "Simulated",
  apple: "the App Store",
  google: "Google Play",
};

export function channelLabel(provider: string): string {
  return labels[provider as PaymentChannel] ?? provider;
}

/** An app store takes the money and gives it back: its orders are refunded there, not here. */
export function isStoreChannel(provider: string): boolean {
  return provider === "apple" || provider === "google";
}

export function isPaymentChannel(value: string | undefined): value is PaymentChannel {
  return (paymentChannels as readonly string[]).includes(value ?? "");
}
