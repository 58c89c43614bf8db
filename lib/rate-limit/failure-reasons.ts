import "server-only";
import { limits } from "@/lib/config/limits";

type RateLimitRuleName = (typeof limits.rate)[keyof typeof limits.rate]["name"];

/**
 * The rate limiter's reasons: a 429 RATE_LIMITED names the rule it hit (lib/config/limits.ts), so the list is
 * made from the rules. tests/unit/http/api-contract.test.ts holds lib/rate-limit/ to it, like every domain.
 */
export const rateLimitFailureReasons = Object.fromEntries(
  Object.values(limits.rate).map((rule) => [
    rule.name,
    `More than ${rule.limit} attempts in ${rule.windowSeconds} s under the ${rule.name} rule; try again later.`,
  ]),
) as Record<RateLimitRuleName, string>;

declare module "@/lib/errors/app-error" {
  interface FailureReasonLists {
    rateLimit: typeof rateLimitFailureReasons;
  }
}
