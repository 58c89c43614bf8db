import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { env } from "@/lib/config/env";
import type { RateLimitRule } from "@/lib/rate-limit/consume-rate-limit";

/**
 * A limit on failures rather than attempts, for sign-in: consumeRateLimit
 * counts every attempt, so a stranger's wrong guesses used up the allowance
 * of the person who holds the right code, and everyone behind one office
 * address shared one allowance for signing in at all. Here only failures
 * count (recordFailure, after a refusal), and a subject over its limit is
 * refused before its next check (assertBelowFailureLimit). Subjects are
 * chosen so that the one refused is the one failing: the pair (account,
 * address) for a guesser at one account, an address for a guesser across
 * many accounts.
 */
function windowOf(rule: RateLimitRule, now = Date.now()) {
  const windowMs = rule.windowSeconds * 1000;
  return { windowMs, windowStart: new Date(Math.floor(now / windowMs) * windowMs) };
}

const keyOf = (rule: RateLimitRule, subject: string) => `${rule.name}:${subject.toLowerCase()}`;

export async function assertBelowFailureLimit(rule: RateLimitRule, subject: string): Promise<void> {
  const { windowMs, windowStart } = windowOf(rule);
  const row = await db().rateLimitCounter.findUnique({
    where: { key_windowStart: { key: keyOf(rule, subject), windowStart } },
    select: { count: true },
  });
  if ((row?.count ?? 0) < rule.limit * env().rateLimitFactor) return;
  const retryAfterSeconds = Math.ceil((windowStart.getTime() + windowMs - Date.now()) / 1000);
  throw new AppError("RATE_LIMITED", {
    userMessage: `Too many wrong attempts from here. Try again in ${retryAfterSeconds} seconds.`,
    reason: rule.name,
  });
}

export async function recordFailure(rule: RateLimitRule, subject: string): Promise<void> {
  const { windowStart } = windowOf(rule);
  const key = keyOf(rule, subject);
  await db().$executeRaw`
    INSERT INTO "RateLimitCounter" ("key", "windowStart", "count") VALUES (${key}, ${windowStart}, 1)
    ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitCounter"."count" + 1`;
}
