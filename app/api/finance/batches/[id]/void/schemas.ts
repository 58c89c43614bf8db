import { defineOperation } from "@/lib/http/api-contract";
import { batchIdParams, payoutBatchSchema, payoutReasons, seeOtherResponse } from "@/app/api/finance/finance-schemas";

export const voidBatchOperation = defineOperation({
  method: "POST",
  path: "/api/finance/batches/{id}/void",
  operationId: "voidPayoutBatch",
  summary: "Void a batch that has not been paid",
  auth: "session",
  access: "FINANCE",
  request: { params: batchIdParams },
  responses: { 200: { description: "The batch", schema: payoutBatchSchema }, 303: seeOtherResponse },
  errors: { 404: "No such batch", 409: "The batch can no longer be voided (BATCH_NOT_VOIDABLE)" },
  reasons: payoutReasons,
});
