import { AppError } from "@/lib/errors/app-error";
import { env } from "@/lib/config/env";

/** Reads a body sent as JSON (API clients, tests) or as an HTML form (pages without client script). */
export async function readFormOrJson(req: Request): Promise<Record<string, unknown>> {
  const type = req.headers.get("content-type") ?? "";
  if (type.includes("application/json")) {
    try {
      const body: unknown = await req.json();
      return body && typeof body === "object" ? (body as Record<string, unknown>) : {};
    } catch {
      throw new AppError("BAD_REQUEST", { userMessage: "The request body must be JSON." });
    }
  }
  if (type.includes("form")) return Object.fromEntries((await req.formData()).entries());
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
