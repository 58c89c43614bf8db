import "server-only";
import { isIP } from "node:net";
import { z } from "zod";
import { webhookEventTypes } from "@/lib/webhooks/webhook-event-types";
import { isLoopbackName, isNonPublicAddress } from "@/lib/webhooks/public-address";

/**
 * An address inside a private network given as an IP literal (lib/webhooks/public-address.ts): the portal must not
 * be made to post into its own network. Loopback named literally is allowed over plain http, for receivers run in
 * tests and on a laptop, as for federation URLs. A name that resolves to a private address is refused when the
 * subscription is made (createWebhookSubscription) and at every delivery's connection.
 */
function isPrivateLiteral(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  return !isLoopbackName(hostname) && isIP(host) !== 0 && isNonPublicAddress(host);
}

/**
 * A subscription as its owner asks for it. Checks: the URL is https (plain
 * http on loopback only), without credentials or fragment, not a private
 * network's address (a name that resolves to one is refused by the operation); at least one event type, each one this kind of
 * organization may receive (checked by the caller, who knows the kind).
 */
export const webhookSubscriptionInput = z.object({
  url: z
    .url({ protocol: /^https?$/, error: "A URL starting with https://" })
    .max(500)
    .refine((u) => {
      const url = new URL(u);
      return !url.username && !url.password && !url.hash;
    }, "No credentials or fragment in a webhook URL.")
    .refine((u) => {
      const url = new URL(u);
      return url.protocol === "https:" || isLoopbackName(url.hostname);
    }, "https, or plain http on loopback only.")
    .refine((u) => !isPrivateLiteral(new URL(u).hostname), "Not an address of a private network."),
  eventTypes: z
    .array(z.enum(webhookEventTypes, { error: "An event type Guildhall sends." }))
    .min(1, "Choose at least one event.")
    .transform((types) => [...new Set(types)]),
});

/** As a form sends it: parsed by the operation. */
export type WebhookSubscriptionInput = { url: string; eventTypes: string[] };
