import { z } from "zod";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { AppError } from "@/lib/errors/app-error";
import { constantTimeEqual } from "@/lib/crypto/hash";
import { emailSchema } from "@/lib/auth/normalize-email";
import { emailCodeHash } from "@/lib/auth/request-email-code";
import { consumeRateLimit, rateLimits } from "@/lib/rate-limit/consume-rate-limit";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";

const MAX_ATTEMPTS = 5;
const codeSchema = z.string().trim().regex(/^\d{6}$/, "The code is 6 digits.");

/**
 * Checks a mailed code and returns the user it signs in. An address without an
 * account gets one: the code proves the address, which is all an account is
 * before it has passkeys. Checks, in order: rate limits, a live code exists,
 * attempts left, the code matches (constant time), the account is enabled.
 */
export async function verifyEmailCode(input: { email: string; code: string; ipAddress?: string }) {
  const email = emailSchema.parse(input.email);
  const code = codeSchema.parse(input.code);
  await consumeRateLimit(rateLimits.signInPerAccount, email);
  if (input.ipAddress) await consumeRateLimit(rateLimits.signInPerIp, input.ipAddress);

  return db().$transaction(async (tx) => {
    const pending = await tx.emailCode.findFirst({ where: { email, usedAt: null, expiresAt: { gt: new Date() } }, orderBy: { createdAt: "desc" } });
    const wrong = new AppError("UNAUTHENTICATED", { userMessage: "That code is wrong or has expired. Ask for a new one.", reason: "BAD_CODE" });
    if (!pending || pending.attempts >= MAX_ATTEMPTS) throw wrong;
    if (!constantTimeEqual(pending.codeHash, emailCodeHash(email, code))) {
      await tx.emailCode.update({ where: { id: pending.id }, data: { attempts: { increment: 1 } } });
      // The failed attempt must count even though we refuse: commit it, then refuse.
      return { refused: wrong } as const;
    }
    await tx.emailCode.update({ where: { id: pending.id }, data: { usedAt: new Date() } });

    let user = await tx.user.findUnique({ where: { email } });
    if (user?.disabledAt) throw new AppError("FORBIDDEN", { userMessage: "This account is disabled.", reason: "ACCOUNT_DISABLED" });
    if (!user) {
      user = await tx.user.create({ data: { id: newId("usr"), email, emailVerifiedAt: new Date() } });
      await appendAuditEvent(tx, { actor: { type: "user", id: user.id }, action: "user.created", subject: { type: "user", id: user.id }, state: { email, via: "email_code" }, data: { via: "email_code" } });
    } else if (!user.emailVerifiedAt) {
      user = await tx.user.update({ where: { id: user.id }, data: { emailVerifiedAt: new Date() } });
      await appendAuditEvent(tx, { actor: { type: "user", id: user.id }, action: "user.email_verified", subject: { type: "user", id: user.id }, state: { email, emailVerified: true } });
    }
    return { user } as const;
  }).then((result) => {
    if ("refused" in result) throw result.refused;
    return result.user;
  });
}
