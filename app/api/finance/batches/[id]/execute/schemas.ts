import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { actReasonSchema } from "@/lib/audit/act-reason";
import {
  batchIdParams,
  formOrJson,
  payoutBatchSchema,
  payoutReasons,
  seeOtherResponse,
} from "@/app/api/finance/finance-schemas";

/** The page asks for a reason (app/confirm-with-reason.tsx); an API caller may give one, kept in the audit. */
export const executeBatchRequestSchema = z.object({ reason: actReasonSchema.optional() });

export const executeBatchOperation = defineOperation({
  method: "POST",
  path: "/api/finance/batches/{id}/execute",
  operationId: "executePayoutBatch",
  summary: "Pay an approved batch (or send its failed items again)",
  auth: "session",
  access: "FINANCE",
  request: { params: batchIdParams, body: executeBatchRequestSchema, bodyTypes: formOrJson },
  responses: { 200: { description: "The batch", schema: payoutBatchSchema }, 303: seeOtherResponse },
  errors: { 404: "No such batch", 409: "The batch is not approved" },
  reasons: payoutReasons,
});
