import { notFound } from "next/navigation";
import { isAppError } from "@/lib/errors/app-error";

/**
 * What a page's read answers, or Next's not-found page when the read refuses with NOT_FOUND (the thing the URL
 * names does not exist); any other error goes on to the error page.
 */
export async function orNotFound<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
}
