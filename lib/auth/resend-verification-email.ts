import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";
import { queueMail } from "@/lib/mail/queue-mail";
import { kickOutbox } from "@/lib/outbox/kick-outbox";
import { EMAIL_CODE_TTL_MINUTES, issueEmailCode } from "@/lib/auth/email-codes";
import { consumeRateLimit, rateLimits } from "@/lib/rate-limit/consume-rate-limit";
import { verifyEmailEmail } from "@/emails/verify-email";

/** Mails the signed-in user a fresh confirmation code, within the same mail limits as sign-in codes. */
export async function resendVerificationEmail(input: { userId: string; ipAddress?: string }): Promise<void> {
  const user = await db().user.findUniqueOrThrow({ where: { id: input.userId } });
  if (user.emailVerifiedAt)
    throw new AppError("CONFLICT", {
      userMessage: "Your email address is already confirmed.",
      reason: "ALREADY_VERIFIED",
    });
  await consumeRateLimit(rateLimits.mailPerAddress, user.email);
  if (input.ipAddress) await consumeRateLimit(rateLimits.mailPerIp, input.ipAddress);
  await db().$transaction(async (tx) => {
    const code = await issueEmailCode(tx, { email: user.email });
    await queueMail(tx, {
      to: user.email,
      template: "verify-email",
      content: verifyEmailEmail({
        name: user.name ?? user.email,
        code,
        ttlMinutes: EMAIL_CODE_TTL_MINUTES,
        accountUrl: `${env().publicUrl}/account`,
      }),
    });
  });
  kickOutbox();
}
