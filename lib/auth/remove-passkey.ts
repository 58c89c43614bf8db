import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { queueMail } from "@/lib/mail/queue-mail";
import { kickOutbox } from "@/lib/outbox/kick-outbox";
import { passkeyChangedEmail } from "@/emails/passkey-changed";

/**
 * Removes one of the user's own passkeys (NOT_FOUND for anyone else's). The
 * last passkey may go too: the account then signs in by email code until a
 * new one is added, which is the recovery path anyway. Sessions started with
 * the passkey stay; "sign out everywhere" is the tool for a lost device.
 */
export async function removePasskey(input: { userId: string; passkeyId: string }): Promise<void> {
  await db().$transaction(async (tx) => {
    const passkey = await tx.passkey.findFirst({
      where: { id: input.passkeyId, userId: input.userId },
      include: { user: { select: { email: true } } },
    });
    if (!passkey)
      throw new AppError("NOT_FOUND", { userMessage: "No such passkey on your account.", reason: "PASSKEY_NOT_FOUND" });
    await tx.passkey.delete({ where: { id: passkey.id } });
    await appendAuditEvent(tx, {
      actor: { type: "user", id: input.userId },
      action: "passkey.removed",
      subject: { type: "passkey", id: passkey.id },
      state: { removed: true },
      data: { userId: input.userId, name: passkey.name },
    });
    await queueMail(tx, {
      to: passkey.user.email,
      template: "passkey-removed",
      content: passkeyChangedEmail({
        change: "removed",
        passkeyName: passkey.name,
        accountUrl: `${env().publicUrl}/account`,
      }),
    });
  });
  kickOutbox();
}
