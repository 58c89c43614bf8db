import "server-only";
import type { ApiErrorBody } from "@/lib/http/api-route";
import { assertCleanPath, assertCleanUrlQuery, isMalformedInput } from "@/lib/http/untrusted-text";

/**
 * The edge checks of a page or server-action request, run by proxy.ts before
 * Next renders anything: a path segment or query parameter that is a
 * malformed %-escape, or that decodes to a control character (line feed
 * and tab included: no id holds one) or a lone surrogate, is a 400 in the API's error shape (a page would otherwise pass
 * it to a query, and PostgreSQL's refusal would be a 500). Undefined when the
 * request may go on.
 */
export function refusalOfPageRequest(req: { url: string; nextUrl: { pathname: string } }, requestId: string) {
  try {
    for (const segment of req.nextUrl.pathname.split("/")) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        return refusal("The path has a malformed %-escape.", requestId);
      }
      assertCleanPath(decoded);
    }
    assertCleanUrlQuery(req.url);
  } catch (e) {
    if (isMalformedInput(e)) return refusal(e.userMessage, requestId);
    throw e;
  }
  return undefined;
}

function refusal(message: string, requestId: string): Response {
  const body: ApiErrorBody = { error: { code: "BAD_REQUEST", message, reason: "MALFORMED_INPUT" } };
  return Response.json(body, { status: 400, headers: { "x-request-id": requestId, "cache-control": "no-store" } });
}
