import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { batchIdParams, payoutReasons } from "@/app/api/finance/finance-schemas";

export const batchCsvOperation = defineOperation({
  method: "GET",
  path: "/api/finance/batches/{id}/csv",
  operationId: "downloadPayoutBatchCsv",
  summary: "A batch's items as CSV",
  auth: "session",
  access: "FINANCE",
  request: { params: batchIdParams },
  responses: { 200: { description: "The CSV (an attachment)", contentType: "text/csv", schema: z.string() } },
  errors: { 404: "No such batch" },
  reasons: payoutReasons,
});
