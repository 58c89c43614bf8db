import "server-only";
import type { Tx } from "@/lib/db/client";
import type { ProviderEvent } from "@/lib/payment-provider/provider";

export type HandlerResult = { outcome: "handled" | "ignored"; note?: string };

/**
 * One provider event type. `prepare` runs before the transaction (calls to the
 * provider belong outside it); `handle` runs in the transaction that records
 * the event id, so the event acts at most once.
 */
export type WebhookHandler<C = unknown> = {
  prepare?: (event: ProviderEvent) => Promise<C>;
  handle: (tx: Tx, event: ProviderEvent, context: C) => Promise<HandlerResult>;
};

/** Thrown where a later retry can succeed (an event that arrived before the one it depends on): answered 503. */
export class RetryLaterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RetryLaterError";
  }
}

export function str(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (v && typeof v === "object" && "id" in v && typeof (v as { id: unknown }).id === "string")
    return (v as { id: string }).id;
  return null;
}
