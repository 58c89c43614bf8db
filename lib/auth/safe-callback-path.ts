import "server-only";
/**
 * Where to go after signing in: only a path on this site. Anything else (an
 * absolute URL, a protocol-relative "//evil.example", a backslash trick that
 * browsers read as "//", a javascript: URL) falls back to the default, so the
 * sign-in page cannot be used as an open redirect. No server imports: the
 * sign-in page uses it in the browser too.
 */
export function safeCallbackPath(raw: string | null | undefined, fallback = "/account"): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point of this check.
  if (!raw?.startsWith("/") || raw.startsWith("//") || raw.includes("\\") || /[\u0000-\u001f]/.test(raw))
    return fallback;
  try {
    const base = "http://guildhall.invalid";
    const url = new URL(raw, base);
    if (url.origin !== base) return fallback;
    if (url.pathname.startsWith("/api/auth/")) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
