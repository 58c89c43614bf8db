import "server-only";
import { z } from "zod";
import { readJson } from "@/lib/http/read-json";
import { readFormOrJson } from "@/lib/http/form-or-json";

/**
 * The contract of an API route, kept in a `schemas.ts` beside its route.ts:
 * what it reads (path, query, headers, body), what it answers, who may call
 * it and which failure reasons it may give. The routes parse through these
 * schemas and answer through them; app/api/api-registry.ts lists every
 * operation, and the OpenAPI documents are generated from that list.
 */

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** How a caller proves who it is. */
export type ApiAuth =
  /** Anyone. */
  | "public"
  /** A person's session cookie (next-auth). */
  | "session"
  /** A theater admin's session, or the theater's API token as `Authorization: Bearer`. */
  | "session-or-theater-token"
  /** An OAuth access token of a client (client credentials), Bearer or DPoP-bound. */
  | "client-token"
  /** An OAuth access token a signed-in user's app holds (authorization code), Bearer or DPoP-bound. */
  | "user-access-token"
  /** A host's operator signed in, or the host's client with an access token. */
  | "session-or-host-token"
  /** The body itself is signed by its sender (a provider's webhook, a host's JWS). */
  | "signed-payload";

/** A closed list of failure reasons: reason → what it means. */
export type FailureReasons = Readonly<Record<string, string>>;

export type ApiResponse = {
  description: string;
  /** The body's schema, as sent (JSON: dates as ISO strings, bigints as decimal strings). */
  schema?: z.ZodType;
  /** Defaults to application/json. */
  contentType?: string;
  /** Set to publish the schema under this name in components.schemas. */
  name?: string;
};

export type ApiOperation = {
  method: HttpMethod;
  /** The OpenAPI path: `/api/account/passkeys/{passkeyId}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  auth: ApiAuth;
  /** Who may call, beyond `auth`: "FINANCE role", "theater admin of orgId". */
  access?: string;
  /** OAuth scopes a client token needs. */
  scopes?: string[];
  /** The documents the operation belongs to besides the whole API's ("ticket-sale"). */
  documents?: string[];
  request?: {
    params?: z.ZodObject;
    query?: z.ZodObject;
    headers?: z.ZodObject;
    body?: z.ZodType;
    /** Defaults to application/json; form routes add application/x-www-form-urlencoded. */
    bodyTypes?: string[];
  };
  /** Success (and redirect) answers by status. */
  responses: Record<number, ApiResponse>;
  /** Refusals by status, beyond those every route may give (400 input, 401/403 access, 503 database). */
  errors?: Record<number, string>;
  /** The domains' closed lists of failure reasons this operation may answer. */
  reasons: FailureReasons[];
};

/** Keeps an operation's literal types; a function so each schemas.ts reads as a declaration. */
export function defineOperation(operation: ApiOperation): ApiOperation {
  return operation;
}

/** The API's one error shape (errorToResponse in lib/http/api-route.ts), for routes that hand one on. */
export const apiErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), reason: z.string().optional() }),
});

/** A timestamp as it goes out on the wire. */
export const isoDateTime = z.string().meta({ format: "date-time" });

/** An amount of money in minor units, as a BigInt column goes out on the wire (decimal digits). */
export const minorUnitsString = z
  .string()
  .regex(/^-?\d+$/)
  .meta({ description: "Integer minor units, as a string" });

/**
 * What may become a schema's wire type once serialised: a Date where the
 * wire has a string (an ISO timestamp), a bigint where it has a string (an
 * amount). The routes' values are checked against it when they compile, so a
 * field the schema requires and the domain does not give fails the build
 * instead of a request.
 */
export type BecomesOnTheWire<T> = T extends string
  ? string | Date | bigint
  : T extends readonly (infer U)[]
    ? readonly BecomesOnTheWire<U>[]
    : T extends object
      ? string extends keyof T
        ? unknown // a record, or an object passed on as its library made it: checked when it is parsed
        : { [K in keyof T]: BecomesOnTheWire<T[K]> }
      : T;

/** The JSON a value becomes on the wire: Dates as ISO strings, bigints as decimal strings. */
export function toJsonValue(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
}

/**
 * `value` as its response schema lets it out: fields the schema does not
 * name are dropped. A value that does not fit is the server's fault, a 500,
 * never the client's 400 (a ZodError would be mapped to VALIDATION_FAILED).
 */
export function responseBody<S extends z.ZodType>(schema: S, value: BecomesOnTheWire<z.input<S>>): z.output<S> {
  const parsed = schema.safeParse(toJsonValue(value));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`The response does not fit its schema at ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data;
}

/** A JSON answer through its response schema. */
export function answer<S extends z.ZodType>(
  schema: S,
  value: BecomesOnTheWire<z.input<S>>,
  init?: ResponseInit,
): Response {
  return Response.json(responseBody(schema, value), init);
}

/** The JSON body, through its schema (a ZodError is the API's 400 VALIDATION_FAILED). */
export async function parseBody<S extends z.ZodType>(schema: S, req: Request): Promise<z.output<S>> {
  return schema.parse(await readJson(req));
}

/** A body sent as JSON or as an HTML form, through its schema. */
export async function parseFormOrJsonBody<S extends z.ZodType>(schema: S, req: Request): Promise<z.output<S>> {
  return schema.parse(await readFormOrJson(req));
}

/** The query string, through its schema (apiRoute has refused control characters in it already). */
export function parseQuery<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return schema.parse(Object.fromEntries(new URL(req.url).searchParams));
}
