import { z } from "zod";
import { env } from "@/lib/config/env";
import { errorCodeToHttpStatus } from "@/lib/errors/app-error";
import type { ApiAuth, ApiOperation, ApiResponse } from "@/lib/http/api-contract";
import { apiOperations } from "@/app/api/api-registry";

/** JSON Schema (2020-12, OpenAPI 3.1's dialect) of a zod schema, as a request reads it or a response writes it. */
function jsonSchemaOf(schema: z.ZodType, io: "input" | "output") {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    target: "draft-2020-12",
    unrepresentable: "any",
  });
  return rest as Record<string, unknown>;
}

/** The two documents: the ticket-sale API that host backends and apps call, and the whole API. */
const documents = {
  "ticket-sale": {
    title: "Guildhall ticket-sale API",
    description:
      "Host backends and apps open checkouts for ticket sales and read their status. Amounts are integer minor units with an ISO 4217 currency; the server computes the total from the line items.",
  },
  all: {
    title: "Guildhall API",
    description:
      "Every JSON route of the portal: the ticket-sale API, licensing, finance, accounts, governance, organizations, the transparency log and federation. Errors have one shape, `{ error: { code, message, reason? } }`; `reason` is one of the domains' closed lists (each operation names its own in x-failure-reasons), or, for VALIDATION_FAILED, the path of the field that failed. Amounts are integer minor units with an ISO 4217 currency; timestamps are ISO 8601.",
  },
} as const;

export type OpenApiDocumentName = keyof typeof documents;

/**
 * The generated document: its paths and schemas are JSON built from the
 * registry, so a reader (a test, a client generator) walks them untyped.
 */
// biome-ignore lint/suspicious/noExplicitAny: generated JSON, read by walking it
type GeneratedJson = any;
export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, GeneratedJson>>;
  components: { securitySchemes: Record<string, GeneratedJson>; schemas: Record<string, GeneratedJson> };
};

type Security = Partial<Record<string, string[]>>[];

const securityOf: Record<ApiAuth, (op: ApiOperation) => Security> = {
  public: () => [],
  "signed-payload": () => [],
  session: () => [{ sessionCookie: [] }],
  "session-or-theater-token": () => [{ sessionCookie: [] }, { theaterApiToken: [] }],
  "client-token": (op) => [{ clientCredentials: op.scopes ?? [] }],
  "user-access-token": () => [{ userAccessToken: [] }],
  "session-or-host-token": (op) => [{ sessionCookie: [] }, { clientCredentials: op.scopes ?? [] }],
};

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

/** The refusals every route of its kind may give, under what the operation declares itself. */
function errorResponsesOf(op: ApiOperation): Record<string, ReturnType<typeof errorResponse>> {
  const errors: Record<number, string> = {};
  const { request } = op;
  if (request?.body || request?.query || request?.params || request?.headers)
    errors[400] = "The input does not fit its schema (VALIDATION_FAILED, reason the field's path) or is malformed";
  if (op.auth !== "public" && op.auth !== "signed-payload") errors[401] = "Not signed in, or no valid credentials";
  if (op.access) errors[403] = `Refused: ${op.access}`;
  if (op.method !== "GET" && op.auth !== "client-token" && op.auth !== "signed-payload")
    errors[403] = `${errors[403] ? `${errors[403]}; or a` : "A"} cross-site request (BAD_ORIGIN)`;
  Object.assign(errors, op.errors ?? {});
  errors[503] ??= "The database is unavailable for a moment (DATABASE_UNAVAILABLE); retry";
  return Object.fromEntries(Object.entries(errors).map(([status, what]) => [status, errorResponse(what)]));
}

/** Path, query or header parameters from an object schema: one parameter per key. */
function parametersOf(schema: z.ZodObject | undefined, where: "path" | "query" | "header") {
  if (!schema) return [];
  const json = jsonSchemaOf(schema, "input") as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property as { description?: string };
    return {
      name,
      in: where,
      required: where === "path" || (json.required ?? []).includes(name),
      schema: propertySchema,
      ...(description ? { description } : {}),
    };
  });
}

function responseOf(res: ApiResponse, named: Record<string, unknown>) {
  if (!res.schema) return { description: res.description };
  const contentType = res.contentType ?? "application/json";
  let schema: unknown = jsonSchemaOf(res.schema, "output");
  if (res.name) {
    named[res.name] = schema;
    schema = { $ref: `#/components/schemas/${res.name}` };
  }
  return { description: res.description, content: { [contentType]: { schema } } };
}

function operationOf(op: ApiOperation, named: Record<string, unknown>) {
  const parameters = [
    ...parametersOf(op.request?.params, "path"),
    ...parametersOf(op.request?.query, "query"),
    ...parametersOf(op.request?.headers, "header"),
  ];
  const body = op.request?.body;
  const reasons = [...new Set(op.reasons.flatMap((list) => Object.keys(list)))];
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description || op.access
      ? { description: [op.description, op.access && `Access: ${op.access}.`].filter(Boolean).join("\n\n") }
      : {}),
    security: securityOf[op.auth](op),
    ...(parameters.length ? { parameters } : {}),
    ...(body
      ? {
          requestBody: {
            required: true,
            content: Object.fromEntries(
              (op.request?.bodyTypes ?? ["application/json"]).map((type) => [
                type,
                { schema: jsonSchemaOf(body, "input") },
              ]),
            ),
          },
        }
      : {}),
    responses: {
      ...Object.fromEntries(Object.entries(op.responses).map(([status, res]) => [status, responseOf(res, named)])),
      ...errorResponsesOf(op),
    },
    ...(reasons.length ? { "x-failure-reasons": reasons } : {}),
  };
}

/** Each reason once, with the meaning its first list gives it. */
function reasonsOf(operations: ApiOperation[]): Map<string, string> {
  const reasons = new Map<string, string>();
  for (const op of operations)
    for (const list of op.reasons)
      for (const [r, what] of Object.entries(list)) if (!reasons.has(r)) reasons.set(r, what);
  return reasons;
}

/**
 * An OpenAPI 3.1 document generated from the registry of operations
 * (app/api/api-registry.ts): request and response bodies from the zod
 * schemas the routes parse and answer through, the error reasons from the
 * domains' closed lists. /api/v1/openapi.json serves the ticket-sale API,
 * /api/openapi.json the whole API.
 */
export function openApiDocument(name: OpenApiDocumentName = "ticket-sale"): OpenApiDocument {
  // The registry and the public URL are fixed for the process: each document is generated once.
  const made = generated.get(name) ?? generateDocument(name);
  generated.set(name, made);
  return made;
}

const generated = new Map<OpenApiDocumentName, OpenApiDocument>();

function generateDocument(name: OpenApiDocumentName): OpenApiDocument {
  const operations =
    name === "all" ? apiOperations : apiOperations.filter((op) => op.documents?.includes(name) ?? false);
  const named: Record<string, unknown> = {};
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    paths[op.path] ??= {};
    paths[op.path][op.method.toLowerCase()] = operationOf(op, named);
  }
  const reasons = reasonsOf(operations);
  const scopes = Object.fromEntries(
    [...new Set(operations.flatMap((op) => op.scopes ?? []))].map((s) => [s, scopeDescriptions[s] ?? s]),
  );
  return {
    openapi: "3.1.0",
    info: { title: documents[name].title, version: "1.0.0", description: documents[name].description },
    servers: [{ url: env().publicUrl }],
    paths,
    components: {
      securitySchemes: {
        clientCredentials: {
          type: "oauth2",
          description:
            "RFC 9068 JWT access tokens from Guildhall's token endpoint, as `Authorization: Bearer`, or, when DPoP-bound, as `Authorization: DPoP` with a DPoP proof for the request's method and URL (RFC 9449)",
          flows: { clientCredentials: { tokenUrl: `${env().publicUrl}/oidc/token`, scopes } },
        },
        ...(name === "all"
          ? {
              sessionCookie: {
                type: "apiKey",
                in: "cookie",
                name: "next-auth.session-token",
                description:
                  "A person's session (`__Secure-next-auth.session-token` when the portal is served over https)",
              },
              theaterApiToken: {
                type: "http",
                scheme: "bearer",
                description: "A theater's API token (`ght_...`), made by its admin; it acts for that theater only",
              },
              userAccessToken: {
                type: "http",
                scheme: "bearer",
                description: "An access token a user's app got from Guildhall's OpenID provider (Bearer or DPoP)",
              },
            }
          : {}),
      },
      schemas: {
        Error: {
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
                  description: `A stable, more specific reason, one of: ${[...reasons]
                    .map(([r, what]) => `${r} (${what})`)
                    .join("; ")}`,
                  enum: [...reasons.keys()],
                },
              },
            },
          },
        },
        ...named,
      },
    },
  };
}

const scopeDescriptions: Record<string, string> = {
  "tickets:write": "Open ticket checkouts and read their status",
  "release:declare": "Declare the release a host runs",
};
