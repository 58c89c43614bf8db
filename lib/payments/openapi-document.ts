import { env } from "@/lib/config/env";

const error = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", examples: ["VALIDATION_FAILED", "UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "UNPROCESSABLE"] },
        message: { type: "string" },
        reason: { type: "string", description: "A stable, more specific reason", examples: ["IDEMPOTENCY_KEY_REUSED", "IDEMPOTENCY_KEY_REQUIRED", "AMOUNT_MISMATCH", "NO_ACTIVE_SPLIT_POLICY", "THEATER_NOT_FOUND", "invalid_token", "insufficient_scope"] },
      },
    },
  },
} as const;

const lineItem = {
  type: "object",
  required: ["name", "quantity", "unitAmountMinor"],
  additionalProperties: false,
  properties: {
    name: { type: "string", minLength: 1, maxLength: 200 },
    quantity: { type: "integer", minimum: 1, maximum: 10000 },
    unitAmountMinor: { type: "integer", minimum: 0, description: "Price of one unit in minor units of the currency (cents)" },
  },
} as const;

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });

/** The OpenAPI 3.1 description of the ticket-sale API, served at /api/v1/openapi.json. */
export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "Guildhall ticket-sale API",
      version: "1.0.0",
      description: "Host backends and apps open checkouts for ticket sales and read their status. Amounts are integer minor units with an ISO 4217 currency; the server computes the total from the line items.",
    },
    servers: [{ url: env().publicUrl }],
    security: [{ clientCredentials: ["tickets:write"] }],
    paths: {
      "/api/v1/checkouts": {
        post: {
          operationId: "createCheckout",
          summary: "Open a ticket checkout",
          parameters: [
            { name: "Idempotency-Key", in: "header", required: true, schema: { type: "string", minLength: 1, maxLength: 255 }, description: "Retries with the same key and body answer the same checkout; the same key with another body is refused with 422 IDEMPOTENCY_KEY_REUSED. Keys are scoped to the client." },
          ],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["theaterOrgId", "showId", "description", "currency", "lineItems"],
                  properties: {
                    theaterOrgId: { type: "string" },
                    showId: { type: "string" },
                    externalRef: { type: "string", description: "The caller's own order reference" },
                    description: { type: "string", maxLength: 500 },
                    currency: { type: "string", pattern: "^[A-Za-z]{3}$" },
                    lineItems: { type: "array", minItems: 1, maxItems: 100, items: lineItem },
                    amountMinor: { type: "integer", description: "Optional; must equal the sum of the line items (else 422 AMOUNT_MISMATCH)" },
                  },
                },
              },
            },
          },
          responses: {
            "201": { description: "The checkout (a replay answers the same one)", content: { "application/json": { schema: { $ref: "#/components/schemas/Checkout" } } } },
            "400": errorResponse("Invalid body or missing Idempotency-Key"),
            "401": errorResponse("Missing, invalid or expired access token"),
            "403": errorResponse("The token lacks tickets:write"),
            "404": errorResponse("No such theater"),
            "422": errorResponse("Idempotency key reused with other parameters, amount mismatch, or no active split policy"),
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
            "200": { description: "The checkout", content: { "application/json": { schema: { $ref: "#/components/schemas/Checkout" } } } },
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
          description: "RFC 9068 JWT access tokens from Guildhall's token endpoint",
          flows: { clientCredentials: { tokenUrl: `${env().publicUrl}/oidc/token`, scopes: { "tickets:write": "Open ticket checkouts and read their status" } } },
        },
      },
      schemas: {
        Error: error,
        Checkout: {
          type: "object",
          required: ["id", "status", "amountMinor", "currency", "createdAt"],
          properties: {
            id: { type: "string", examples: ["ord_3b1Yz..."] },
            status: { type: "string", enum: ["open", "paid", "failed", "expired"] },
            productKind: { type: "string", enum: ["TICKET_SALE", "LICENSE_SALE"] },
            theaterOrgId: { type: "string" },
            amountMinor: { type: "integer" },
            currency: { type: "string" },
            refundedMinor: { type: "integer" },
            url: { type: ["string", "null"], description: "Where the buyer pays, while the checkout is open" },
            fulfilment: { type: "object" },
            createdAt: { type: "string", format: "date-time" },
            paidAt: { type: ["string", "null"], format: "date-time" },
          },
        },
      },
    },
  };
}
