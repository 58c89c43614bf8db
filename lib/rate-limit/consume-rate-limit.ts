import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { env } from "@/lib/config/env";
import { limits } from "@/lib/config/limits";

/** One of the rules of lib/config/limits.ts: its name is the reason a refusal gives. */
export type RateLimitRule = (typeof limits.rate)[keyof typeof limits.rate];

/**
 * Counts one attempt against `rule` for `subject` (an IP address, an email)
 * in a fixed window stored in the database, so every instance shares it.
 * Throws RATE_LIMITED once the window's limit is passed.
 */
export async function consumeRateLimit(rule: RateLimitRule, subject: string): Promise<void> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(Date.now() / windowMs) * windowMs);
  const key = `${rule.name}:${subject.toLowerCase()}`;
  const [row] = await db().$queryRaw<{ count: number }[]>`
    INSERT INTO "RateLimitCounter" ("key", "windowStart", "count") VALUES (${key}, ${windowStart}, 1)
    ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitCounter"."count" + 1
    RETURNING "count"`;
  if (row.count > rule.limit * env().rateLimitFactor) {
    const retryAfterSeconds = Math.ceil((windowStart.getTime() + windowMs - Date.now()) / 1000);
    throw new AppError("RATE_LIMITED", {
      userMessage: `Too many attempts. Try again in ${retryAfterSeconds} seconds.`,
      reason: rule.name,
    });
  }
}

/** The rules, from lib/config/limits.ts. */
export const rateLimits = limits.rate satisfies Record<string, RateLimitRule>;
