import { AppError } from "@/lib/errors/app-error";

/**
 * What no field of ours ever carries, refused at the edge before it reaches a
 * query: C0 control characters other than tab, line feed and carriage return
 * (PostgreSQL cannot store NUL in text, 22021, nor `\u0000` in jsonb, 22P05;
 * the others have no business in a name, an id or a URI), DEL, and UTF-16
 * surrogates that are not part of a pair (not Unicode text at all: jsonb
 * refuses them, text stores U+FFFD instead, so a value would not survive a
 * round trip).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it looks for.
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * A path segment (an id, a slug, a name in a URL) is stricter: no control character at all, tab, line feed and
 * carriage return included, which a form's text may carry but no id does (and which would split a log line or a
 * header if one were ever echoed).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it looks for.
const CONTROL_CHARACTER_IN_PATH = /[\u0000-\u001F\u007F]/;

/** Why a string is refused, or undefined when it is fine. */
export function unsafeTextReason(text: string): string | undefined {
  if (CONTROL_CHARACTER.test(text)) return "contains a control character";
  if (!text.isWellFormed()) return "is not valid Unicode text (a lone surrogate)";
  return undefined;
}

/** The refusal every edge reader throws: a 400 in the API's shape (OIDC endpoints turn it into invalid_request). */
export function malformedInput(userMessage: string): AppError {
  return new AppError("BAD_REQUEST", { userMessage, reason: "MALFORMED_INPUT" });
}

export function isMalformedInput(e: unknown): e is AppError {
  return e instanceof AppError && e.reason === "MALFORMED_INPUT";
}

/**
 * Refuses a value (a string, or the strings and keys anywhere inside parsed
 * JSON or a form) that unsafeTextReason refuses. The walk keeps its own stack,
 * so a deeply nested body cannot overflow the call stack.
 */
export function assertCleanText(value: unknown, what: string): void {
  assertEveryString(value, what, unsafeTextReason);
}

/**
 * Refuses path segments (a route's decoded params, or a page's decoded segment) with any control character, or
 * what assertCleanText refuses.
 */
export function assertCleanPath(segments: unknown, what = "The path"): void {
  assertEveryString(segments, what, (text) =>
    CONTROL_CHARACTER_IN_PATH.test(text) ? "contains a control character" : unsafeTextReason(text),
  );
}

function assertEveryString(value: unknown, what: string, reasonOf: (text: string) => string | undefined): void {
  const stack: { value: unknown; path: string }[] = [{ value, path: "" }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value: current, path } = next;
    if (typeof current === "string") {
      const reason = reasonOf(current);
      if (reason) throw malformedInput(`${what}${path ? ` (${path})` : ""} ${reason}.`);
    } else if (current && typeof current === "object") {
      for (const [key, inner] of Object.entries(current)) {
        const innerPath = path ? `${path}.${key}` : key;
        const keyReason = reasonOf(key);
        if (keyReason) throw malformedInput(`A name in ${what} ${keyReason}.`);
        stack.push({ value: inner, path: innerPath });
      }
    }
  }
}

/**
 * A query string (or a form-encoded body), without its `?`, refused when a
 * %-escape is malformed or decodes to no text (URLSearchParams would turn it
 * into U+FFFD or leave it as it is, both silently), or when a parameter
 * carries what assertCleanText refuses.
 */
export function assertCleanQuery(query: string): void {
  if (query === "") return;
  for (const part of query.split("&")) {
    try {
      decodeURIComponent(part.replace(/\+/g, "%20"));
    } catch {
      throw malformedInput("The query string has a malformed %-escape.");
    }
  }
  for (const [key, value] of new URLSearchParams(query)) assertCleanText({ [key]: value }, "The query string");
}

/** assertCleanQuery on the query of an absolute URL. */
export function assertCleanUrlQuery(url: string): void {
  if (url.includes("?")) assertCleanQuery(new URL(url).search.slice(1));
}
