import { z } from "zod";
import { defineOperation, isoDateTime } from "@/lib/http/api-contract";
import { authFailureReasons } from "@/lib/auth/failure-reasons";
import { credentialResponseSchema } from "@/app/api/auth/webauthn-schemas";

export const addPasskeyRequestSchema = z.object({ response: credentialResponseSchema, name: z.string().optional() });
export const addPasskeyResponseSchema = z.object({
  passkey: z.object({ id: z.string(), name: z.string().nullable(), createdAt: isoDateTime }),
});
export const listPasskeysResponseSchema = z.object({
  passkeys: z.array(
    z.object({
      id: z.string(),
      credentialId: z.string(),
      name: z.string().nullable(),
      createdAt: isoDateTime,
      lastUsedAt: isoDateTime.nullable(),
      deviceType: z.string(),
      backedUp: z.boolean(),
    }),
  ),
});

export const listPasskeysOperation = defineOperation({
  method: "GET",
  path: "/api/account/passkeys",
  operationId: "listPasskeys",
  summary: "The signed-in user's passkeys",
  auth: "session",
  responses: { 200: { description: "The passkeys", schema: listPasskeysResponseSchema } },
  reasons: [authFailureReasons],
});

export const addPasskeyOperation = defineOperation({
  method: "POST",
  path: "/api/account/passkeys",
  operationId: "addPasskey",
  summary: "Add a passkey, answering a challenge from ./options",
  auth: "session",
  request: { body: addPasskeyRequestSchema },
  responses: { 201: { description: "The new passkey", schema: addPasskeyResponseSchema } },
  errors: {
    401: "The sign-in is not recent enough (REAUTH_REQUIRED)",
    409: "Already registered (PASSKEY_EXISTS)",
    422: "The attestation or the challenge does not verify",
  },
  reasons: [authFailureReasons],
});
