import "server-only";
import { z } from "zod";
import { db, type Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { AppError } from "@/lib/errors/app-error";
import { emailSchema } from "@/lib/mail/email-address";
import { consumeEmailCode } from "@/lib/auth/email-codes";
import { rateLimits } from "@/lib/rate-limit/consume-rate-limit";
import { assertBelowFailureLimit, recordFailure } from "@/lib/rate-limit/failure-limit";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { User } from "@/lib/generated/prisma/client";
import { invalidateLocalCaches } from "@/lib/db/invalidation-feed";

export const emailCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, "The code is 6 digits.");

/**
 * Signing in by code to an account whose address was never verified means the
 * address's owner is claiming an account someone else may have opened in
 * their name (the "pre-hijacking" attack: sign up with a victim's address and
 * a passkey of your own, then wait). The code proves the address; nothing
 * proved the passkeys. So they are removed and the account's sessions ended
 * before the owner gets in, and the owner adds their own passkey.
 */
async function claimUnverifiedAccount(tx: Tx, user: User): Promise<User> {
  const actor = { type: "user" as const, id: user.id };
  const passkeys = await tx.passkey.findMany({ where: { userId: user.id }, select: { id: true, name: true } });
  for (const p of passkeys) {
    await tx.passkey.delete({ where: { id: p.id } });
    await appendAuditEvent(tx, {
      actor,
      action: "passkey.removed",
      subject: { type: "passkey", id: p.id },
      state: { removed: true, reason: "unverified_account_claimed" },
      data: { userId: user.id, reason: "unverified_account_claimed" },
    });
  }
  const { count } = await tx.session.deleteMany({ where: { userId: user.id } });
  if (count > 0) {
    await appendAuditEvent(tx, {
      actor,
      action: "session.ended_everywhere",
      subject: { type: "user", id: user.id },
      state: { sessionsEnded: count },
      data: { count, reason: "unverified_account_claimed" },
    });
  }
  const verified = await tx.user.update({ where: { id: user.id }, data: { emailVerifiedAt: new Date() } });
  invalidateLocalCaches();
  await appendAuditEvent(tx, {
    actor,
    action: "user.email_verified",
    subject: { type: "user", id: user.id },
    state: { email: user.email, emailVerified: true },
    data: { via: "email_code_sign_in", passkeysRemoved: passkeys.length },
  });
  return verified;
}

/** The refusal that asks the person to confirm a new account: the right code, for an address without one. */
function noAccountRefusal(email: string): AppError {
  return new AppError("NOT_FOUND", {
    userMessage: `There is no Guildhall account for ${email}. Check the address, or confirm that you want a new account.`,
    reason: "NO_ACCOUNT",
  });
}

/**
 * Checks a mailed code and returns the user it signs in. Checks, in order:
 * the failure limits of this client address (at this account, and across
 * accounts), a live code exists, it was asked for by this browser (`binding`,
 * its sign-in-binding cookie), it has wrong guesses left, it matches
 * (constant time), the account is enabled. Only a failure counts against the
 * limits, and against the address that sent it: the person with the right
 * code is never refused because of someone else's guesses, nor an office for
 * sharing one address.
 *
 * An address without an account gets one only when the person confirmed it
 * (`createAccount`): a mistyped address must not silently open a new, empty
 * account. Without it, the right code for such an address is refused with
 * NO_ACCOUNT and stays unused, so the page can ask and send it again. That
 * says whether an account exists only to whoever holds the code of that
 * address in the browser that asked for it, that is, to its owner.
 */
export async function verifyEmailCode(input: {
  email: string;
  code: string;
  binding: string | undefined;
  createAccount?: boolean;
  ipAddress?: string;
}): Promise<User> {
  const email = emailSchema.parse(input.email);
  const code = emailCodeSchema.parse(input.code);
  const address = input.ipAddress ?? "unknown";
  const atThisAccount = `${email}|${address}`;
  await assertBelowFailureLimit(rateLimits.signInFailuresPerAccountAndAddress, atThisAccount);
  if (input.ipAddress) await assertBelowFailureLimit(rateLimits.signInFailuresPerAddress, input.ipAddress);

  const result = await db().$transaction(async (tx) => {
    const check = await consumeEmailCode(tx, { email, code, use: { kind: "sign-in", binding: input.binding } });
    // The failed attempt must count even though we refuse: commit it, then refuse.
    if (!check.ok) return { refused: check.refusal } as const;

    let user = await tx.user.findUnique({ where: { email } });
    if (user?.disabledAt)
      throw new AppError("FORBIDDEN", { userMessage: "This account is disabled.", reason: "ACCOUNT_DISABLED" });
    // Thrown inside the transaction, so the code's use is rolled back and it works once the person confirms.
    if (!user && !input.createAccount) throw noAccountRefusal(email);
    if (!user) {
      user = await tx.user.create({ data: { id: newId("usr"), email, emailVerifiedAt: new Date() } });
      await appendAuditEvent(tx, {
        actor: { type: "user", id: user.id },
        action: "user.created",
        subject: { type: "user", id: user.id },
        state: { email, via: "email_code" },
        data: { via: "email_code" },
      });
    } else if (!user.emailVerifiedAt) {
      user = await claimUnverifiedAccount(tx, user);
    }
    return { user } as const;
  });
  if ("refused" in result) {
    await recordFailure(rateLimits.signInFailuresPerAccountAndAddress, atThisAccount);
    if (input.ipAddress) await recordFailure(rateLimits.signInFailuresPerAddress, input.ipAddress);
    throw result.refused;
  }
  return result.user;
}
