import { ZodError } from "zod";
import { forbidden, notFound, unauthorized, unstable_rethrow } from "next/navigation";
import { assertCleanText } from "@/lib/http/untrusted-text";
import { isAppError } from "@/lib/errors/app-error";
import { describeValidationIssue } from "@/lib/errors/describe-validation-issue";
import { log } from "@/lib/log";

/**
 * What every server action answers: the same `{ error: { code, message } }`
 * shape as the API, so forms show the message and tests can assert the code.
 */
export type ActionResult =
  | { ok: true; message: string }
  | { ok: false; error: { code: string; message: string } }
  | null;

/**
 * Runs a server action's body and maps its failures. Next's own control flow
 * (redirect, notFound, forbidden) is rethrown untouched; anything unexpected
 * is logged and shown as a plain INTERNAL error.
 */
export async function runAction(body: () => Promise<string>): Promise<ActionResult> {
  try {
    return { ok: true, message: await body() };
  } catch (e) {
    unstable_rethrow(e);
    if (e instanceof ZodError) {
      return { ok: false, error: { code: "VALIDATION_FAILED", message: describeValidationIssue(e.issues[0]) } };
    }
    if (isAppError(e)) return { ok: false, error: { code: e.code, message: e.userMessage } };
    log.error({ err: e instanceof Error ? { message: e.message, stack: e.stack } : String(e) }, "server action failed");
    return { ok: false, error: { code: "INTERNAL", message: "Something went wrong. Try again." } };
  }
}

/**
 * FormData as a plain object of its string fields, for zod; a field that
 * assertCleanText refuses (a NUL byte, a lone surrogate) is a BAD_REQUEST
 * here, at the edge, before any of it reaches a query.
 */
export function formFields(formData: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of formData.entries()) if (typeof v === "string" && !k.startsWith("$ACTION")) out[k] = v;
  assertCleanText(out, "The form");
  return out;
}

/**
 * Runs a server action that answers nothing (a form bound to an id, as on
 * /account/apps): its arguments pass assertCleanText first, and a refusal
 * becomes Next's own 4xx answer, never the 500 an uncaught throw gives:
 * UNAUTHENTICATED is unauthorized() (401), FORBIDDEN forbidden() (403), any
 * other expected failure (an unknown or malformed id) notFound() (404).
 */
export async function runVoidAction(args: unknown[], body: () => Promise<void>): Promise<void> {
  try {
    for (const arg of args) assertCleanText(arg instanceof FormData ? formFields(arg) : arg, "The request");
    await body();
  } catch (e) {
    unstable_rethrow(e);
    if (isAppError(e) && e.code === "UNAUTHENTICATED") unauthorized();
    if (isAppError(e) && (e.code === "FORBIDDEN" || e.code === "BAD_ORIGIN")) forbidden();
    if ((isAppError(e) && e.statusCode < 500) || e instanceof ZodError) notFound();
    throw e;
  }
}
