import "server-only";
import { isIP } from "node:net";
import { z } from "zod";
import { webhookEventTypes } from "@/lib/webhooks/webhook-event-types";

const loopback = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * An address inside a private network, given as an IP literal (RFC 1918, link-local with the clouds' metadata
 * service at 169.254.169.254, carrier-grade NAT, unique-local IPv6): the portal must not be made to post into
 * its own network. Loopback is allowed over plain http for receivers run in tests and on a laptop, as for
 * federation URLs. A name that resolves to a private address is not caught here: in production the portal's
 * outgoing requests belong behind a filtering proxy, as docs/FEDERATION.md says.
 */
function isPrivateLiteral(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) === 4) {
    const [a, b] = host.split(".").map(Number);
    return (
      a === 10 ||
      a === 0 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (isIP(host) === 6) return /^(fc|fd|fe8|fe9|fea|feb)/i.test(host) || host.startsWith("::ffff:");
  return false;
}

/**
 * A subscription as its owner asks for it. Checks: the URL is https (plain
 * http on loopback only), without credentials or fragment, not a private
 * network's address; at least one event type, each one this kind of
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
      return url.protocol === "https:" || loopback.has(url.hostname);
    }, "https, or plain http on loopback only.")
    .refine((u) => !isPrivateLiteral(new URL(u).hostname), "Not an address of a private network."),
  eventTypes: z
    .array(z.enum(webhookEventTypes, { error: "An event type Guildhall sends." }))
    .min(1, "Choose at least one event.")
    .transform((types) => [...new Set(types)]),
});

/** As a form sends it: parsed by the operation. */
export type WebhookSubscriptionInput = { url: string; eventTypes: string[] };
