import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { authFailureReasons } from "@/lib/auth/failure-reasons";

export const pathParams = z.object({ passkeyId: z.string() });
export const renamePasskeyRequestSchema = z.object({ name: z.string() });
export const renamePasskeyResponseSchema = z.object({
  passkey: z.object({ id: z.string(), name: z.string().nullable() }),
});

export const renamePasskeyOperation = defineOperation({
  method: "PATCH",
  path: "/api/account/passkeys/{passkeyId}",
  operationId: "renamePasskey",
  summary: "Rename one of the signed-in user's passkeys",
  auth: "session",
  request: { params: pathParams, body: renamePasskeyRequestSchema },
  responses: { 200: { description: "The passkey", schema: renamePasskeyResponseSchema } },
  errors: { 404: "No such passkey on your account (another user's too)" },
  reasons: [authFailureReasons],
});

export const removePasskeyOperation = defineOperation({
  method: "DELETE",
  path: "/api/account/passkeys/{passkeyId}",
  operationId: "removePasskey",
  summary: "Remove one of the signed-in user's passkeys",
  auth: "session",
  request: { params: pathParams },
  responses: { 204: { description: "Removed" } },
  errors: { 404: "No such passkey on your account (another user's too)" },
  reasons: [authFailureReasons],
});
