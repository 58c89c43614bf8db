import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { licensePlanSchema, licensingReasons } from "@/app/api/licensing/licensing-schemas";

export const archivePlanOperation = defineOperation({
  method: "POST",
  path: "/api/licensing/plans/{planId}/archive",
  operationId: "archiveLicensePlan",
  summary: "Stop offering a plan (licenses bought keep working)",
  auth: "session",
  access: "ORG_ADMIN",
  request: { params: z.object({ planId: z.string() }) },
  responses: { 200: { description: "The plan", schema: licensePlanSchema } },
  errors: { 404: "No such plan (PLAN_NOT_FOUND)" },
  reasons: licensingReasons,
});
