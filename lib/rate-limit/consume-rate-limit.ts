import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { env } from "@/lib/config/env";

export type RateLimitRule = { name: string; limit: number; windowSeconds: number };

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

export const rateLimits = {
  signInPerIp: { name: "sign-in-ip", limit: 30, windowSeconds: 600 },
  signInPerAccount: { name: "sign-in-account", limit: 10, windowSeconds: 600 },
  signUpPerIp: { name: "sign-up-ip", limit: 10, windowSeconds: 3600 },
  mailPerIp: { name: "mail-ip", limit: 20, windowSeconds: 3600 },
  mailPerAddress: { name: "mail-address", limit: 5, windowSeconds: 900 },
} satisfies Record<string, RateLimitRule>;
