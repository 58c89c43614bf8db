import crypto from "node:crypto";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { env } from "@/lib/config/env";
import { emailSchema } from "@/lib/auth/normalize-email";
import { queueMail } from "@/lib/mail/queue-mail";
import { kickOutbox } from "@/lib/outbox/kick-outbox";
import { consumeRateLimit, rateLimits } from "@/lib/rate-limit/consume-rate-limit";
import { signInCodeEmail } from "@/emails/sign-in-code";

export const EMAIL_CODE_TTL_MINUTES = 10;

/** Codes are kept as an HMAC under the auth secret, bound to the address. */
export function emailCodeHash(email: string, code: string): string {
  return crypto.createHmac("sha256", env().authSecret).update(`${email}:${code}`).digest("hex");
}

/**
 * Mails a one-time sign-in code. Answers the same whether or not an account
 * exists, so the form cannot be used to learn who has one. Rate-limited per
 * address and per client address.
 */
export async function requestEmailCode(input: { email: string; ipAddress?: string }): Promise<void> {
  const email = emailSchema.parse(input.email);
  await consumeRateLimit(rateLimits.mailPerAddress, email);
  if (input.ipAddress) await consumeRateLimit(rateLimits.mailPerIp, input.ipAddress);
  const code = crypto.randomInt(0, 1_000_000).toString().padStart(6, "0");
  await db().$transaction(async (tx) => {
    // A new code replaces any earlier one still waiting.
    await tx.emailCode.updateMany({ where: { email, usedAt: null }, data: { usedAt: new Date() } });
    await tx.emailCode.create({
      data: { id: newId("ec"), email, codeHash: emailCodeHash(email, code), expiresAt: new Date(Date.now() + EMAIL_CODE_TTL_MINUTES * 60_000) },
    });
    await queueMail(tx, email, "sign-in-code", signInCodeEmail({ code, ttlMinutes: EMAIL_CODE_TTL_MINUTES }));
  });
  kickOutbox();
}
