import { ZodError } from "zod";
import { isAppError } from "@/lib/errors/app-error";

export type ActionResult = { ok?: string; error?: string; secret?: string; clientId?: string };

/**
 * Runs a server action's work and turns an expected failure (validation,
 * permission, a refused transition) into a message for the form; anything
 * else is a real error and propagates to the error page.
 */
export async function actionResult(work: () => Promise<ActionResult>): Promise<ActionResult> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof ZodError) {
      const issue = e.issues[0];
      return { error: `${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}` };
    }
    if (isAppError(e)) return { error: e.userMessage };
    throw e;
  }
}
