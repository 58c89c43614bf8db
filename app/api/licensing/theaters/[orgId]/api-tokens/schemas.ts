import { z } from "zod";
import { defineOperation, isoDateTime } from "@/lib/http/api-contract";
import { licensingReasons } from "@/app/api/licensing/licensing-schemas";

export const pathParams = z.object({ orgId: z.string() });
export const createApiTokenRequestSchema = z.object({
  name: z.string().trim().min(1).max(80),
  ttlDays: z.number().int().min(1).max(730).optional(),
});
export const createApiTokenResponseSchema = z.object({
  id: z.string(),
  token: z.string().meta({ description: "The token itself: shown this once, stored only as its hash" }),
  name: z.string(),
  expiresAt: isoDateTime.nullable(),
});
export const listApiTokensResponseSchema = z.object({
  tokens: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      tokenPrefix: z.string().meta({ description: "The token's first characters, to tell tokens apart" }),
      createdAt: isoDateTime,
      expiresAt: isoDateTime.nullable(),
      lastUsedAt: isoDateTime.nullable(),
      userId: z.string().meta({ description: "The admin who made it" }),
    }),
  ),
});

export const listApiTokensOperation = defineOperation({
  method: "GET",
  path: "/api/licensing/theaters/{orgId}/api-tokens",
  operationId: "listTheaterApiTokens",
  summary: "The theater's live API tokens (only their prefixes)",
  auth: "session",
  access: "an admin of the theater",
  request: { params: pathParams },
  responses: { 200: { description: "The tokens", schema: listApiTokensResponseSchema } },
  reasons: licensingReasons,
});

export const createApiTokenOperation = defineOperation({
  method: "POST",
  path: "/api/licensing/theaters/{orgId}/api-tokens",
  operationId: "createTheaterApiToken",
  summary: "Make an API token for the theater's management client; the answer is the only time it is shown",
  description: "Sessions only: a token cannot mint tokens.",
  auth: "session",
  access: "an admin of the theater",
  request: { params: pathParams, body: createApiTokenRequestSchema },
  responses: { 201: { description: "The token", schema: createApiTokenResponseSchema } },
  reasons: licensingReasons,
});
