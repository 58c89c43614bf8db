import { defineOperation } from "@/lib/http/api-contract";
import { batchIdParams, payoutBatchSchema, payoutReasons, seeOtherResponse } from "@/app/api/finance/finance-schemas";

export const approveBatchOperation = defineOperation({
  method: "POST",
  path: "/api/finance/batches/{id}/approve",
  operationId: "approvePayoutBatch",
  summary: "Approve a draft batch (two different finance users must)",
  auth: "session",
  access: "FINANCE",
  request: { params: batchIdParams },
  responses: { 200: { description: "The batch", schema: payoutBatchSchema }, 303: seeOtherResponse },
  errors: { 404: "No such batch", 409: "Not a draft, or already approved by you" },
  reasons: payoutReasons,
});
