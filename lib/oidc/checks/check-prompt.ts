import "server-only";
import { InvalidRequest } from "@/lib/oidc/errors";

const PROMPTS = new Set(["none", "login", "consent", "select_account"]);

/**
 * prompt and max_age (OIDC Core §3.1.2.1). Checks: every prompt value is
 * known; "none" stands alone; max_age is a non-negative integer of seconds.
 */
export function checkPrompt(params: Record<string, string>): { prompt: string[]; maxAgeSeconds?: number } {
  const prompt = [...new Set((params.prompt ?? "").split(" ").filter(Boolean))];
  for (const p of prompt) if (!PROMPTS.has(p)) throw new InvalidRequest(`unsupported prompt value "${p}"`);
  if (prompt.includes("none") && prompt.length > 1)
    throw new InvalidRequest("prompt=none cannot be combined with other values");
  let maxAgeSeconds: number | undefined;
  if (params.max_age !== undefined) {
    if (!/^\d{1,9}$/.test(params.max_age)) throw new InvalidRequest("max_age must be a non-negative integer");
    maxAgeSeconds = Number(params.max_age);
  }
  return { prompt, maxAgeSeconds };
}
