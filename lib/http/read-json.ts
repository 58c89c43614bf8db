import "server-only";
import { assertCleanText, malformedInput } from "@/lib/http/untrusted-text";

/**
 * Reads a JSON body: one that does not parse, or that carries text
 * assertCleanText refuses anywhere (values or names), is a 400.
 */
export async function readJson(req: Pick<Request, "text">): Promise<unknown> {
  let body: unknown;
  try {
    body = JSON.parse(await req.text());
  } catch {
    throw malformedInput("The request body must be JSON.");
  }
  assertCleanText(body, "The request body");
  return body;
}
