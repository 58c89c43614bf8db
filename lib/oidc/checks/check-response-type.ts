import "server-only";
import { InvalidRequest, UnsupportedResponseType } from "@/lib/oidc/errors";

export type ResponseMode = "query" | "form_post";

/**
 * response_mode: query (the default for code) or form_post; anything else
 * (fragment, jwt) is refused. Checked first, since it decides how every
 * later error is delivered.
 */
export function checkResponseMode(params: Record<string, string>): ResponseMode {
  const mode = params.response_mode ?? "query";
  if (mode !== "query" && mode !== "form_post") throw new InvalidRequest(`unsupported response_mode "${mode}"`);
  return mode;
}

/** response_type: exactly "code". Implicit and hybrid flows are not offered. */
export function checkResponseType(params: Record<string, string>): void {
  if (!params.response_type) throw new InvalidRequest("response_type is missing");
  if (params.response_type !== "code")
    throw new UnsupportedResponseType(`response_type "${params.response_type}" is not supported; use "code"`);
}
