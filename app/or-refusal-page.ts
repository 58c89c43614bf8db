import { forbidden, notFound } from "next/navigation";
import { isAppError } from "@/lib/errors/app-error";

/**
 * What a page's read answers, or the page Next shows for its refusal: the not-found page (404) when the read
 * refuses with NOT_FOUND (the thing the URL names does not exist), the forbidden page (403) with FORBIDDEN (it
 * exists, and this visitor may not see it). Any other error goes on to the error page: a 500 is the server's
 * fault, never the visitor's.
 */
export async function orRefusalPage<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    if (isAppError(e) && e.code === "FORBIDDEN") forbidden();
    throw e;
  }
}
