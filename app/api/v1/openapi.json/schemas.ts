import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";

/** An OpenAPI 3.1 document, generated from the registry of operations (app/api/api-registry.ts). */
export const openApiDocumentSchema = z.looseObject({ openapi: z.literal("3.1.0") });

export const ticketSaleOpenApiOperation = defineOperation({
  method: "GET",
  path: "/api/v1/openapi.json",
  operationId: "getTicketSaleOpenApiDocument",
  summary: "The OpenAPI 3.1 document of the ticket-sale API",
  auth: "public",
  responses: { 200: { description: "The document", schema: openApiDocumentSchema } },
  reasons: [],
});

export const openApiOperation = defineOperation({
  method: "GET",
  path: "/api/openapi.json",
  operationId: "getOpenApiDocument",
  summary: "The OpenAPI 3.1 document of the whole API (this document)",
  auth: "public",
  responses: { 200: { description: "The document", schema: openApiDocumentSchema } },
  reasons: [],
});
