import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { licensePlanInputSchema } from "@/lib/licensing/license-plan-input";
import { licensePlanSchema, licensingReasons } from "@/app/api/licensing/licensing-schemas";

export const listPlansResponseSchema = z.object({ plans: z.array(licensePlanSchema) });

export const listPlansOperation = defineOperation({
  method: "GET",
  path: "/api/licensing/plans",
  operationId: "listLicensePlans",
  summary: "The plans on offer",
  auth: "session",
  responses: { 200: { description: "The plans", schema: listPlansResponseSchema } },
  reasons: licensingReasons,
});

export const createPlanOperation = defineOperation({
  method: "POST",
  path: "/api/licensing/plans",
  operationId: "createLicensePlan",
  summary: "Offer a new plan",
  auth: "session",
  access: "ORG_ADMIN",
  request: { body: licensePlanInputSchema },
  responses: { 201: { description: "The plan", schema: licensePlanSchema } },
  reasons: licensingReasons,
});
