import "server-only";
import crypto from "node:crypto";
import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { env } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";
import { constantTimeEqual, sha256Hex } from "@/lib/crypto/hash";

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
 * waiting, so only the newest mail works. A sign-in code is bound to the
 * browser that asked for it (`binding`, the value of its sign-in-binding
 * cookie, kept as SHA-256); a code that confirms a signed-in account's address
 * is bound to that session already and has none.
 */
export async function issueEmailCode(tx: Tx, { email, binding }: { email: string; binding?: string }): Promise<string> {
  const code = crypto.randomInt(0, 1_000_000).toString().padStart(6, "0");
  await tx.emailCode.updateMany({ where: { email, usedAt: null }, data: { usedAt: new Date() } });
  await tx.emailCode.create({
    data: {
      id: newId("ec"),
      email,
      codeHash: emailCodeHash(email, code),
      bindingHash: binding ? sha256Hex(binding) : null,
      expiresAt: new Date(Date.now() + EMAIL_CODE_TTL_MINUTES * 60_000),
    },
  });
  return code;
}

export type EmailCodeCheck = { ok: true } | { ok: false; refusal: AppError };

/** What the code is checked for: signing in, from the browser its binding cookie names, or confirming a signed-in account. */
export type EmailCodeUse = { kind: "sign-in"; binding: string | undefined } | { kind: "confirm-account" };

/**
 * Checks a code for an address and marks it used when it matches. Checks: a
 * live code exists; for a sign-in, it was asked for by this browser (its
 * binding cookie hashes to the code's bindingHash; a code without one, such
 * as an account confirmation code, does not sign in); it has attempts left;
 * it matches (constant time). A wrong guess counts as an attempt; the caller
 * must commit that count before refusing, which is why the refusal is
 * returned rather than thrown. A try from another browser does not count
 * against the code: it cannot succeed whatever the code, so it must not
 * wear out the code of the person who holds it.
 */
export async function consumeEmailCode(
  tx: Tx,
  { email, code, use }: { email: string; code: string; use: EmailCodeUse },
): Promise<EmailCodeCheck> {
  const refusal = new AppError("UNAUTHENTICATED", {
    userMessage: "That code is wrong or has expired. Ask for a new one.",
    reason: "BAD_CODE",
  });
  const pending = await tx.emailCode.findFirst({
    where: { email, usedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
  });
  if (!pending || pending.attempts >= EMAIL_CODE_MAX_ATTEMPTS) return { ok: false, refusal };
  if (
    use.kind === "sign-in" &&
    (!pending.bindingHash || !use.binding || !constantTimeEqual(pending.bindingHash, sha256Hex(use.binding)))
  )
    return {
      ok: false,
      refusal: new AppError("UNAUTHENTICATED", {
        userMessage:
          "This code was asked for in another browser. Enter it there, or ask for a new code in this browser.",
        reason: "OTHER_BROWSER",
      }),
    };
  if (!constantTimeEqual(pending.codeHash, emailCodeHash(email, code))) {
    await tx.emailCode.update({ where: { id: pending.id }, data: { attempts: { increment: 1 } } });
    return { ok: false, refusal };
  }
  await tx.emailCode.update({ where: { id: pending.id }, data: { usedAt: new Date() } });
  return { ok: true };
}
