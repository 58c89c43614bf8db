import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { actReasonSchema } from "@/lib/audit/act-reason";
import { licensingReasons } from "@/app/api/licensing/licensing-schemas";

export const revokeApiTokenRequestSchema = z.object({ reason: actReasonSchema.optional() });

/** The path parameters, parsed by the route (apiRoute's `params`) and published in the OpenAPI document. */
export const pathParams = z.object({ tokenId: z.string() });

export const revokeApiTokenOperation = defineOperation({
  method: "DELETE",
  path: "/api/licensing/api-tokens/{tokenId}",
  operationId: "revokeTheaterApiToken",
  summary: "Revoke a theater API token",
  description: "The page sends the reason its admin typed to confirm; an API caller may (kept in the audit).",
  auth: "session",
  access: "an admin of the token's theater",
  request: {
    params: pathParams,
    body: revokeApiTokenRequestSchema,
    bodyTypes: ["application/json", "application/x-www-form-urlencoded"],
  },
  responses: { 204: { description: "Revoked (or already revoked)" } },
  errors: { 404: "No such token (TOKEN_NOT_FOUND)" },
  reasons: licensingReasons,
});
