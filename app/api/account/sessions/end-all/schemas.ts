import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { authFailureReasons } from "@/lib/auth/failure-reasons";

export const endAllSessionsResponseSchema = z.object({ ended: z.number().int() });

export const endAllSessionsOperation = defineOperation({
  method: "POST",
  path: "/api/account/sessions/end-all",
  operationId: "endAllSessions",
  summary: "Sign out everywhere, this browser included",
  auth: "session",
  responses: { 200: { description: "How many sessions ended", schema: endAllSessionsResponseSchema } },
  reasons: [authFailureReasons],
});
