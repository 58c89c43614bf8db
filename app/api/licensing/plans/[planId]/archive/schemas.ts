import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { licensePlanSchema, licensingReasons } from "@/app/api/licensing/licensing-schemas";

/** The path parameters, parsed by the route (apiRoute's `params`) and published in the OpenAPI document. */
export const pathParams = z.object({ planId: z.string() });

export const archivePlanOperation = defineOperation({
  method: "POST",
  path: "/api/licensing/plans/{planId}/archive",
  operationId: "archiveLicensePlan",
  summary: "Stop offering a plan (licenses bought keep working)",
  auth: "session",
  access: "ORG_ADMIN",
  request: { params: pathParams },
  responses: { 200: { description: "The plan", schema: licensePlanSchema } },
  errors: { 404: "No such plan (PLAN_NOT_FOUND)" },
  reasons: licensingReasons,
});
