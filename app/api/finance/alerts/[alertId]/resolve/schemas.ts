import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { financeAlertsFailureReasons } from "@/lib/finance-alerts/failure-reasons";
import { formOrJson, seeOtherResponse } from "@/app/api/finance/finance-schemas";

export const resolveAlertRequestSchema = z.object({ reason: z.string().trim().min(3).max(500) });
export const resolveAlertResponseSchema = z.object({ resolved: z.literal(true) });

/** The path parameters, parsed by the route (apiRoute's `params`) and published in the OpenAPI document. */
export const pathParams = z.object({ alertId: z.string() });

export const resolveAlertOperation = defineOperation({
  method: "POST",
  path: "/api/finance/alerts/{alertId}/resolve",
  operationId: "resolveFinanceAlert",
  summary: "Mark an alert looked after, saying what was done (kept in the audit log)",
  auth: "session",
  access: "FINANCE",
  request: { params: pathParams, body: resolveAlertRequestSchema, bodyTypes: formOrJson },
  responses: { 200: { description: "Resolved", schema: resolveAlertResponseSchema }, 303: seeOtherResponse },
  errors: { 404: "No such open alert (ALERT_NOT_FOUND)" },
  reasons: [financeAlertsFailureReasons],
});
