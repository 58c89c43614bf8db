import { ZodError } from "zod";
import { unstable_rethrow } from "next/navigation";
import { isAppError } from "@/lib/errors/app-error";
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
      const issue = e.issues[0];
      return { ok: false, error: { code: "VALIDATION_FAILED", message: issue.message } };
    }
    if (isAppError(e)) return { ok: false, error: { code: e.code, message: e.userMessage } };
    log.error({ err: e instanceof Error ? { message: e.message, stack: e.stack } : String(e) }, "server action failed");
    return { ok: false, error: { code: "INTERNAL", message: "Something went wrong. Try again." } };
  }
}

/** FormData as a plain object of its string fields, for zod. */
export function formFields(formData: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of formData.entries()) if (typeof v === "string" && !k.startsWith("$ACTION")) out[k] = v;
  return out;
}
