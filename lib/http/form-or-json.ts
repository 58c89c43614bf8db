import "server-only";
import { env } from "@/lib/config/env";
import { assertCleanText, malformedInput } from "@/lib/http/untrusted-text";
import { readJson } from "@/lib/http/read-json";

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

/**
 * Reads an HTML form's body: a body of another type, one that does not parse,
 * a field that is a file, or text that assertCleanText refuses is a 400, never
 * a TypeError from formData() that would surface as a 500.
 */
export async function readForm(req: Request): Promise<Record<string, string>> {
  const type = (req.headers.get("content-type") ?? "").toLowerCase();
  if (!FORM_TYPES.some((t) => type.startsWith(t))) throw malformedInput("The request body must be a form.");
  let form: FormData;
  try {
    form = await req.formData();
  } catch {
    throw malformedInput("The form in the request body does not parse.");
  }
  const fields: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value !== "string") throw malformedInput(`The form field ${key} must be text, not a file.`);
    fields[key] = value;
  }
  assertCleanText(fields, "The form");
  return fields;
}

/** Reads a body sent as JSON (API clients, tests) or as an HTML form (pages without client script). */
export async function readFormOrJson(req: Request): Promise<Record<string, unknown>> {
  const type = (req.headers.get("content-type") ?? "").toLowerCase();
  if (type.includes("application/json")) {
    const body = await readJson(req);
    return body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  }
  if (type.includes("form")) return readForm(req);
  return {};
}

/**
 * A 303 See Other. Not Response.redirect(): its headers are immutable, and
 * apiRoute adds the request id to every response.
 */
export function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}

/** JSON for API callers; a 303 back to a page for a browser's form post. */
export function respond(req: Request, data: unknown, redirectPath: string, status = 200): Response {
  if (
    (req.headers.get("accept") ?? "").includes("text/html") &&
    !(req.headers.get("content-type") ?? "").includes("json")
  ) {
    return seeOther(`${env().publicUrl}${redirectPath}`);
  }
  return Response.json(JSON.parse(JSON.stringify(data, (_k, v) => (typeof v === "bigint" ? v.toString() : v))), {
    status,
    headers: { "cache-control": "no-store" },
  });
}
