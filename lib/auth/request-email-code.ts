import "server-only";
import { db } from "@/lib/db/client";
import { emailSchema } from "@/lib/mail/email-address";
import { EMAIL_CODE_TTL_MINUTES, issueEmailCode } from "@/lib/auth/email-codes";
import { queueMail } from "@/lib/mail/queue-mail";
import { kickOutbox } from "@/lib/outbox/kick-outbox";
import { consumeRateLimit, rateLimits } from "@/lib/rate-limit/consume-rate-limit";
import { signInCodeEmail } from "@/emails/sign-in-code";

/**
 * Mails a one-time sign-in code, bound to the asking browser's `binding`
 * (lib/auth/sign-in-binding.ts). Answers the same whether or not an account
 * exists, so the form cannot be used to learn who has one. Rate-limited per
 * address and per client address before anything is written, so a refused
 * request sends nothing.
 */
export async function requestEmailCode(input: { email: string; binding: string; ipAddress?: string }): Promise<void> {
  const email = emailSchema.parse(input.email);
  await consumeRateLimit(rateLimits.mailPerAddress, email);
  if (input.ipAddress) await consumeRateLimit(rateLimits.mailPerIp, input.ipAddress);
  await db().$transaction(async (tx) => {
    const code = await issueEmailCode(tx, { email, binding: input.binding });
    await queueMail(tx, {
      to: email,
      template: "sign-in-code",
      content: signInCodeEmail({ code, ttlMinutes: EMAIL_CODE_TTL_MINUTES }),
    });
  });
  kickOutbox();
}
