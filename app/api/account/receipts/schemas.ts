import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { paymentsFailureReasons } from "@/lib/payments/failure-reasons";

/** docs/RECEIPTS.md: the signed receipts with the keys and log proofs to check them offline. */
export const receiptBundleSchema = z.object({
  format: z.string(),
  v: z.number().int(),
  issuer: z.string(),
  exportedAt: z.string().meta({ format: "date-time" }),
  keys: z.looseObject({}).meta({ description: "The receipt signing keys (a JWK set)" }),
  receipts: z.array(z.string()).meta({ description: "Compact JWS, typ guildhall-receipt+jws" }),
  logProofs: z.record(z.string(), z.unknown()).meta({ description: "Each order's log receipt, by order id" }),
});

export const receiptBundleOperation = defineOperation({
  method: "GET",
  path: "/api/account/receipts",
  operationId: "downloadReceipts",
  summary: "All of the signed-in person's receipts, as one downloadable file",
  auth: "session",
  responses: { 200: { description: "The bundle (an attachment)", schema: receiptBundleSchema } },
  reasons: [paymentsFailureReasons],
});
