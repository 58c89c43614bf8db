import crypto from "node:crypto";
import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { env } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";
import { constantTimeEqual } from "@/lib/crypto/hash";

export const EMAIL_CODE_TTL_MINUTES = 10;
/**
 * Wrong guesses a code takes, from everyone together, before it stops working. One client address gets
 * only a few of them (limits.rate.signInFailuresPerAccountAndAddress), so wearing out the holder's code
 * takes several addresses, while the guesses against one code stay few next to the million codes.
 */
export const EMAIL_CODE_MAX_ATTEMPTS = 20;

/**
 * Codes are kept as an HMAC under the auth secret, bound to the address: six
 * digits are too few to survive a plain hash if the table leaked.
 */
export function emailCodeHash(email: string, code: string): string {
  return crypto.createHmac("sha256", env().authSecret).update(`${email}:${code}`).digest("hex");
}

/**
 * Makes a fresh six-digit code for an address inside the caller's transaction
 * and returns it for the mail. A new code replaces any earlier one still
 * waiting, so only the newest mail works.
 */
export async function issueEmailCode(tx: Tx, email: string): Promise<string> {
  const code = crypto.randomInt(0, 1_000_000).toString().padStart(6, "0");
  await tx.emailCode.updateMany({ where: { email, usedAt: null }, data: { usedAt: new Date() } });
  await tx.emailCode.create({
    data: {
      id: newId("ec"),
      email,
      codeHash: emailCodeHash(email, code),
      expiresAt: new Date(Date.now() + EMAIL_CODE_TTL_MINUTES * 60_000),
    },
  });
  return code;
}

export type EmailCodeCheck = { ok: true } | { ok: false; refusal: AppError };

/**
 * Checks a code for an address and marks it used when it matches. Checks: a
 * live code exists, it has attempts left, and it matches (constant time). A
 * wrong guess counts as an attempt; the caller must commit that count before
 * refusing, which is why the refusal is returned rather than thrown.
 */
export async function consumeEmailCode(tx: Tx, email: string, code: string): Promise<EmailCodeCheck> {
  const refusal = new AppError("UNAUTHENTICATED", {
    userMessage: "That code is wrong or has expired. Ask for a new one.",
    reason: "BAD_CODE",
  });
  const pending = await tx.emailCode.findFirst({
    where: { email, usedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
  });
  if (!pending || pending.attempts >= EMAIL_CODE_MAX_ATTEMPTS) return { ok: false, refusal };
  if (!constantTimeEqual(pending.codeHash, emailCodeHash(email, code))) {
    await tx.emailCode.update({ where: { id: pending.id }, data: { attempts: { increment: 1 } } });
    return { ok: false, refusal };
  }
  await tx.emailCode.update({ where: { id: pending.id }, data: { usedAt: new Date() } });
  return { ok: true };
}
