import { z } from "zod";
import { apiErrorBodySchema, defineOperation, type FailureReasons } from "@/lib/http/api-contract";

/**
 * The providers' webhooks: their request is the provider's signed payload,
 * read raw and verified by the domain (a schema here would only repeat the
 * provider's documentation), so only the answers are schemas.
 */
export const storeNotificationReceiptSchema = z.object({
  received: z.literal(true),
  duplicate: z.boolean(),
  outcome: z.enum(["handled", "ignored", "refused"]),
});

export const providerEventReceiptSchema = z.object({
  duplicate: z.boolean(),
  outcome: z.string().meta({ description: "handled, ignored, refused or unhandled_type" }),
  note: z.string().optional(),
});
/** A Stripe webhook's answer: the event's processing, or a refusal the domain decided on (signature, version). */
export const stripeWebhookResponseSchema = z.union([providerEventReceiptSchema, apiErrorBodySchema]);

export function webhookOperation(op: {
  path: string;
  operationId: string;
  summary: string;
  description: string;
  contentType: string;
  response: z.ZodType;
  reasons: FailureReasons[];
}) {
  return defineOperation({
    method: "POST",
    path: op.path,
    operationId: op.operationId,
    summary: op.summary,
    description: op.description,
    auth: "signed-payload",
    request: {
      body: z.unknown().meta({ description: "The provider's signed payload, as it sends it" }),
      bodyTypes: [op.contentType],
    },
    responses: { 200: { description: "Received", schema: op.response } },
    errors: { 400: "The payload does not parse or verify", 503: "Not ready for this event; the provider retries" },
    reasons: op.reasons,
  });
}
