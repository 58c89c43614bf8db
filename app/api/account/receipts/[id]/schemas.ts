import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { paymentsFailureReasons } from "@/lib/payments/failure-reasons";

export const receiptOperation = defineOperation({
  method: "GET",
  path: "/api/account/receipts/{id}",
  operationId: "downloadReceipt",
  summary: "One of the signed-in person's receipts: the compact JWS as signed",
  auth: "session",
  request: { params: z.object({ id: z.string() }) },
  responses: {
    200: { description: "The receipt (an attachment)", contentType: "application/jose", schema: z.string() },
  },
  errors: { 404: "No such receipt of yours (RECEIPT_NOT_FOUND)" },
  reasons: [paymentsFailureReasons],
});
