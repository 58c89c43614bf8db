import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { authFailureReasons } from "@/lib/auth/failure-reasons";

/** The path parameters, parsed by the route (apiRoute's `params`) and published in the OpenAPI document. */
export const pathParams = z.object({ sessionId: z.string() });

export const endSessionOperation = defineOperation({
  method: "DELETE",
  path: "/api/account/sessions/{sessionId}",
  operationId: "endSession",
  summary: "End one of the signed-in user's sessions",
  auth: "session",
  request: { params: pathParams },
  responses: { 204: { description: "Ended" } },
  errors: { 404: "No such session on your account (another user's too)" },
  reasons: [authFailureReasons],
});
