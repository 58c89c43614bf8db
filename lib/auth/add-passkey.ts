import "server-only";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { env } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { queueMail } from "@/lib/mail/queue-mail";
import { kickOutbox } from "@/lib/outbox/kick-outbox";
import { passkeyNameSchema } from "@/lib/auth/account-schemas";
import { describeUserAgent } from "@/lib/auth/describe-user-agent";
import { requireRecentAuthentication } from "@/lib/auth/require-recent-authentication";
import {
  MAX_PASSKEYS_PER_ACCOUNT,
  parseRegistrationResponse,
  verifyPasskeyRegistration,
} from "@/lib/auth/verify-passkey-registration";
import { passkeyChangedEmail } from "@/emails/passkey-changed";

/**
 * Adds a passkey to the signed-in user's account (also how an account that
 * lost its passkeys recovers: sign in by email code, then add one). Only on a
 * recent sign-in of the account itself (requireRecentAuthentication). One
 * transaction: verify the registration against a challenge issued to this
 * user, store the passkey, record passkey.added, and queue a notice to the
 * account's address, so the owner hears of a passkey they did not add.
 */
export async function addPasskey(input: {
  userId: string;
  authTime: Date;
  responseJson: string;
  name?: string;
  userAgent?: string;
}) {
  requireRecentAuthentication(input);
  const response = parseRegistrationResponse(input.responseJson);
  const name = passkeyNameSchema.parse(input.name?.trim() ? input.name : describeUserAgent(input.userAgent));
  const passkey = await db().$transaction(async (tx) => {
    const { credential } = await verifyPasskeyRegistration(tx, {
      response,
      purpose: "registration",
      userId: input.userId,
    });
    const user = await tx.user.findUniqueOrThrow({
      where: { id: input.userId },
      select: { email: true, _count: { select: { passkeys: true } } },
    });
    if (user._count.passkeys >= MAX_PASSKEYS_PER_ACCOUNT) {
      throw new AppError("CONFLICT", {
        userMessage: `An account can have at most ${MAX_PASSKEYS_PER_ACCOUNT} passkeys.`,
        reason: "TOO_MANY_PASSKEYS",
      });
    }
    const created = await tx.passkey.create({ data: { id: newId("pk"), userId: input.userId, name, ...credential } });
    await appendAuditEvent(tx, {
      actor: { type: "user", id: input.userId },
      action: "passkey.added",
      subject: { type: "passkey", id: created.id },
      state: {
        userId: input.userId,
        name,
        credentialId: created.credentialId,
        deviceType: created.deviceType,
        backedUp: created.backedUp,
      },
      data: { userId: input.userId, name },
    });
    await queueMail(tx, {
      to: user.email,
      template: "passkey-added",
      content: passkeyChangedEmail({ change: "added", passkeyName: name, accountUrl: `${env().publicUrl}/account` }),
    });
    return created;
  });
  kickOutbox();
  return passkey;
}
