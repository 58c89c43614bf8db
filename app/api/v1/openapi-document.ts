import { z } from "zod";
import { env } from "@/lib/config/env";
import { errorCodeToHttpStatus } from "@/lib/errors/app-error";
import { checkoutApiFailureReasons } from "@/lib/payments/failure-reasons";
import { checkoutResponseSchema, createCheckoutRequestSchema } from "@/app/api/v1/checkouts/schemas";

/** JSON Schema (2020-12, OpenAPI 3.1's dialect) of a zod schema, as a request reads it or a response writes it. */
function jsonSchemaOf(schema: z.ZodType, io: "input" | "output") {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    target: "draft-2020-12",
    unrepresentable: "any",
  });
  return rest;
}

const error = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", enum: Object.keys(errorCodeToHttpStatus) },
        message: { type: "string" },
        reason: {
          type: "string",
          description: `A stable, more specific reason, one of: ${Object.entries(checkoutApiFailureReasons)
            .map(([r, what]) => `${r} (${what})`)
            .join("; ")}`,
          enum: Object.keys(checkoutApiFailureReasons),
        },
      },
    },
  },
} as const;

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

/**
 * The OpenAPI 3.1 description of the ticket-sale API, served at
 * /api/v1/openapi.json: the request and response bodies are generated from the
 * zod schemas the routes use (checkouts/schemas.ts), the error reasons from
 * the payments domain's closed list.
 */
export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "Guildhall ticket-sale API",
      version: "1.0.0",
      description:
        "Host backends and apps open checkouts for ticket sales and read their status. Amounts are integer minor units with an ISO 4217 currency; the server computes the total from the line items.",
    },
    servers: [{ url: env().publicUrl }],
    security: [{ clientCredentials: ["tickets:write"] }],
    paths: {
      "/api/v1/checkouts": {
        post: {
          operationId: "createCheckout",
          summary: "Open a ticket checkout",
          parameters: [
            {
              name: "Idempotency-Key",
              in: "header",
              required: true,
              schema: { type: "string", minLength: 1, maxLength: 255 },
              description:
                "Retries with the same key and body answer the same checkout; the same key with another body is refused with 422 IDEMPOTENCY_KEY_REUSED. Keys are scoped to the client.",
            },
          ],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: jsonSchemaOf(createCheckoutRequestSchema, "input"),
              },
            },
          },
          responses: {
            "201": {
              description: "The checkout (a replay answers the same one)",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Checkout" } } },
            },
            "400": errorResponse("Invalid body or missing Idempotency-Key"),
            "401": errorResponse("Missing, invalid or expired access token"),
            "403": errorResponse("The token lacks tickets:write"),
            "404": errorResponse("No such theater"),
            "422": errorResponse(
              "Idempotency key reused with other parameters, amount mismatch, or no active split policy",
            ),
            "503": errorResponse("The payment provider is unavailable; retry with the same key"),
          },
        },
      },
      "/api/v1/checkouts/{id}": {
        get: {
          operationId: "getCheckout",
          summary: "A checkout's status",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": {
              description: "The checkout",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Checkout" } } },
            },
            "401": errorResponse("Missing, invalid or expired access token"),
            "404": errorResponse("No checkout of this client has this id"),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        clientCredentials: {
          type: "oauth2",
          description:
            "RFC 9068 JWT access tokens from Guildhall's token endpoint, as `Authorization: Bearer`, or, when DPoP-bound, as `Authorization: DPoP` with a DPoP proof for the request's method and URL (RFC 9449)",
          flows: {
            clientCredentials: {
              tokenUrl: `${env().publicUrl}/oidc/token`,
              scopes: { "tickets:write": "Open ticket checkouts and read their status" },
            },
          },
        },
      },
      schemas: {
        Error: error,
        Checkout: jsonSchemaOf(checkoutResponseSchema, "output"),
      },
    },
  };
}
