import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { seeOtherResponse, splitPolicyReasons, splitPolicySchema } from "@/app/api/finance/finance-schemas";

/** The path parameters, parsed by the route (apiRoute's `params`) and published in the OpenAPI document. */
export const pathParams = z.object({ id: z.string() });

export const approveSplitPolicyOperation = defineOperation({
  method: "POST",
  path: "/api/finance/policies/{id}/approve",
  operationId: "approveSplitPolicy",
  summary: "Approve a draft split (two different finance users activate it)",
  auth: "session",
  access: "FINANCE",
  request: { params: pathParams },
  responses: { 200: { description: "The version", schema: splitPolicySchema }, 303: seeOtherResponse },
  errors: { 404: "No such version", 409: "Not a draft, or already approved by you" },
  reasons: splitPolicyReasons,
});
