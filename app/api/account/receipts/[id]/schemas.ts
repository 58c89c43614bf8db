import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { paymentsFailureReasons } from "@/lib/payments/failure-reasons";

/** The path parameters, parsed by the route (apiRoute's `params`) and published in the OpenAPI document. */
export const pathParams = z.object({ id: z.string() });

export const receiptOperation = defineOperation({
  method: "GET",
  path: "/api/account/receipts/{id}",
  operationId: "downloadReceipt",
  summary: "One of the signed-in person's receipts: the compact JWS as signed",
  auth: "session",
  request: { params: pathParams },
  responses: {
    200: { description: "The receipt (an attachment)", contentType: "application/jose", schema: z.string() },
  },
  errors: { 404: "No such receipt of yours (RECEIPT_NOT_FOUND)" },
  reasons: [paymentsFailureReasons],
});
