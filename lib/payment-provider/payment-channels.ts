import "server-only";
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

/**
 * Where a payee's ledger line came from: a web checkout (Stripe or the simulated provider), an app store, or
 * funding of a release line or host (whatever provider took it: a funder pays for the line, not for a sale).
 * A payout line has none.
 */
export type StatementChannel = PaymentChannel | "funding";

const statementLabels: Record<StatementChannel, string> = {
  stripe: "Web (Stripe)",
  simulated: "Web (simulated)",
  apple: "App Store",
  google: "Google Play",
  funding: "Funding",
};

export function statementChannelLabel(channel: string | null): string {
  if (channel === null) return "—";
  return statementLabels[channel as StatementChannel] ?? channel;
}
