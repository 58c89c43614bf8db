import { z } from "zod";
import { defineOperation, isoDateTime } from "@/lib/http/api-contract";
import { splitsFailureReasons } from "@/lib/splits/failure-reasons";
import { federationFailureReasons } from "@/lib/federation/failure-reasons";
import { formOrJson, seeOtherResponse } from "@/app/api/finance/finance-schemas";

export const usageReportRequestSchema = z.object({
  period: z.string().meta({ description: "The month, YYYY-MM" }),
  units: z.coerce.number().int(),
});
export const usageReportResponseSchema = z.object({
  hostOrgId: z.string(),
  period: z.string(),
  units: z.number().int(),
  reportedAt: isoDateTime,
  signedReport: z.string().nullable(),
  signedKid: z.string().nullable(),
  signedAt: isoDateTime.nullable(),
});

/** The path parameters, parsed by the route (apiRoute's `params`) and published in the OpenAPI document. */
export const pathParams = z.object({ slug: z.string() });

export const reportUsageOperation = defineOperation({
  method: "POST",
  path: "/api/orgs/{slug}/usage",
  operationId: "reportHostUsage",
  summary: "A host's operator reports its usage for a month (it weights the hosts' share under a usage policy)",
  description:
    "A federation member reports signed with its federation key instead (POST /api/federation/usage-reports): here it is refused (403 SIGNED_REPORT_REQUIRED).",
  auth: "session",
  access: "an operator of the host",
  request: { params: pathParams, body: usageReportRequestSchema, bodyTypes: formOrJson },
  responses: { 200: { description: "The month's report", schema: usageReportResponseSchema }, 303: seeOtherResponse },
  errors: { 404: "No such host" },
  reasons: [splitsFailureReasons, federationFailureReasons],
});
