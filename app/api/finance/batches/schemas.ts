import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { formOrJson, payoutBatchSchema, payoutReasons, seeOtherResponse } from "@/app/api/finance/finance-schemas";

/** An empty form field is no value; the domain checks the currency and dates. */
const optionalText = z
  .string()
  .optional()
  .transform((v) => v || undefined);

export const createBatchRequestSchema = z.object({
  currency: z.string().default("").meta({ description: "ISO 4217" }),
  periodStart: optionalText.meta({ format: "date-time" }),
  periodEnd: optionalText.meta({ format: "date-time" }),
});

export const createBatchOperation = defineOperation({
  method: "POST",
  path: "/api/finance/batches",
  operationId: "createPayoutBatch",
  summary: "Draft a payout batch of everything owed in a currency",
  auth: "session",
  access: "FINANCE",
  request: { body: createBatchRequestSchema, bodyTypes: formOrJson },
  responses: { 201: { description: "The draft batch", schema: payoutBatchSchema }, 303: seeOtherResponse },
  errors: { 422: "Nobody is owed anything in this currency (NOTHING_TO_PAY)" },
  reasons: payoutReasons,
});
