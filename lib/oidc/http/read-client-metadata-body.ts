import "server-only";
import type { PlainRequest } from "@/lib/http/serve-route-handler-like-next";
import { readJson } from "@/lib/http/read-json";
import { isMalformedInput } from "@/lib/http/untrusted-text";
import { InvalidClientMetadata } from "@/lib/oidc/errors";

/**
 * The body of a registration request (RFC 7591 §3.1): a JSON object sent as
 * application/json. A body of another type is refused even when it happens to
 * parse as JSON: a form or text/plain POST is what a browser can send from
 * any site without a preflight, and a registration endpoint has no business
 * accepting what it does not document. The JSON is read by readJson, which
 * refuses the text the edge refuses everywhere (NUL bytes, lone surrogates).
 */
export async function readClientMetadataBody(req: PlainRequest): Promise<Record<string, unknown>> {
  const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") throw new InvalidClientMetadata("the body must be sent as application/json");
  let body: unknown;
  try {
    body = await readJson(req);
  } catch (e) {
    if (!isMalformedInput(e)) throw e;
    throw new InvalidClientMetadata(e.userMessage);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new InvalidClientMetadata("the body must be a JSON object");
  return body as Record<string, unknown>;
}
