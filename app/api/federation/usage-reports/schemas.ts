import { z } from "zod";
import { defineOperation, isoDateTime } from "@/lib/http/api-contract";
import { federationFailureReasons } from "@/lib/federation/failure-reasons";
import { splitsFailureReasons } from "@/lib/splits/failure-reasons";

/** The largest signed report taken (characters of the compact JWS). */
export const MAX_USAGE_REPORT_CHARS = 16 * 1024;

export const signedUsageReportSchema = z
  .string()
  .max(MAX_USAGE_REPORT_CHARS)
  .meta({ description: "The compact JWS of the report, signed with the host's admitted federation key" });
export const usageReportReceiptSchema = z.object({
  hostOrgId: z.string(),
  period: z.string(),
  units: z.number().int(),
  signedAt: isoDateTime.optional(),
});

export const submitUsageReportOperation = defineOperation({
  method: "POST",
  path: "/api/federation/usage-reports",
  operationId: "submitSignedUsageReport",
  summary: "A host reports its monthly usage, signed with its admitted federation key",
  description: "The signature is the host's credential here; the report is kept with it.",
  auth: "signed-payload",
  request: { body: signedUsageReportSchema, bodyTypes: ["application/jose"] },
  responses: { 201: { description: "The report as recorded", schema: usageReportReceiptSchema } },
  errors: {
    400: "Not application/jose, too large, or not a usage report (BAD_REPORT, WRONG_AUDIENCE, STALE_REPORT)",
    401: "The signature does not verify (BAD_SIGNATURE)",
    403: "The issuer is not an admitted host (UNKNOWN_HOST)",
  },
  reasons: [federationFailureReasons, splitsFailureReasons],
});
