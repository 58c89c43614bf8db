import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { consumeEmailCode } from "@/lib/auth/email-codes";
import { emailCodeSchema } from "@/lib/auth/verify-email-code";
import { consumeRateLimit, rateLimits } from "@/lib/rate-limit/consume-rate-limit";
import { invalidateLocalCaches } from "@/lib/db/invalidation-feed";

/**
 * Confirms the signed-in user's address with the code mailed at sign-up (or
 * resent from the account page). Unlike a sign-in by code, this keeps the
 * passkeys: the person holding this session made them and now also proves
 * the address. Checks: per-account rate limit, not yet verified, the code.
 */
export async function verifyAccountEmail(input: { userId: string; code: string }): Promise<void> {
  const code = emailCodeSchema.parse(input.code);
  await consumeRateLimit(rateLimits.signInPerAccount, `verify:${input.userId}`);
  const result = await db().$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: input.userId } });
    if (user.emailVerifiedAt)
      throw new AppError("CONFLICT", {
        userMessage: "Your email address is already confirmed.",
        reason: "ALREADY_VERIFIED",
      });
    const check = await consumeEmailCode(tx, { email: user.email, code, use: { kind: "confirm-account" } });
    if (!check.ok) return { refused: check.refusal } as const; // commit the counted attempt, then refuse
    await tx.user.update({ where: { id: user.id }, data: { emailVerifiedAt: new Date() } });
    invalidateLocalCaches();
    await appendAuditEvent(tx, {
      actor: { type: "user", id: user.id },
      action: "user.email_verified",
      subject: { type: "user", id: user.id },
      state: { email: user.email, emailVerified: true },
      data: { via: "verification_code" },
    });
    return { ok: true } as const;
  });
  if ("refused" in result) throw result.refused;
}
