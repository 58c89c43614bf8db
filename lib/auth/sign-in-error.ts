/**
 * next-auth 4 reports a credentials sign-in failure to the browser only as
 * the thrown error's message (in the `error` query parameter of its answer).
 * We put our error code and the user-facing message in it as JSON, so the
 * sign-in page shows the same `{ code, message }` every other API answers
 * with. No server imports here: the sign-in page decodes it in the browser.
 */
export type SignInError = { code: string; message: string; reason?: string };

export function encodeSignInError(e: SignInError): string {
  return JSON.stringify({ code: e.code, message: e.message, ...(e.reason ? { reason: e.reason } : {}) });
}

export function decodeSignInError(raw: string | null | undefined): SignInError | null {
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === "object" && parsed !== null && "code" in parsed && "message" in parsed) {
      const reason = "reason" in parsed && typeof parsed.reason === "string" ? parsed.reason : undefined;
      return { code: String(parsed.code), message: String(parsed.message), ...(reason ? { reason } : {}) };
    }
  } catch {
    /* next-auth's own error names, e.g. "CredentialsSignin" */
  }
  return { code: "UNAUTHENTICATED", message: "Sign-in failed. Try again." };
}
