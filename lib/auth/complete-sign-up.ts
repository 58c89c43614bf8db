import "server-only";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/is-unique-violation";
import { newId } from "@/lib/ids";
import { env } from "@/lib/config/env";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { queueMail } from "@/lib/mail/queue-mail";
import { kickOutbox } from "@/lib/outbox/kick-outbox";
import { EMAIL_CODE_TTL_MINUTES, issueEmailCode } from "@/lib/auth/email-codes";
import { describeUserAgent } from "@/lib/auth/describe-user-agent";
import { accountExistsError, signUpSchema } from "@/lib/auth/start-sign-up";
import { parseRegistrationResponse, verifyPasskeyRegistration } from "@/lib/auth/verify-passkey-registration";
import { consumeRateLimit, rateLimits } from "@/lib/rate-limit/consume-rate-limit";
import { verifyEmailEmail } from "@/emails/verify-email";
import type { User } from "@/lib/generated/prisma/client";

/**
 * Step two of sign-up: verifies the first passkey and creates the account
 * with it, in one transaction (user.created and passkey.added in the chain).
 *
 * How the address gets verified: the account starts with emailVerifiedAt
 * null and a code is mailed (the verify-email template); the person enters
 * it on the account page (verifyAccountEmail). Until then the account works
 * with its passkey, but nothing vouches for the address, so a later sign-in
 * by email code to it is treated as the address's owner claiming it and
 * removes the unproven passkeys (see verify-email-code.ts). Asking for the
 * code before the passkey would block the passkey-first sign-up on a mail
 * round trip; this order keeps sign-up one step and still closes the
 * pre-hijacking hole.
 *
 * The account's id is the one chosen with the challenge, so it matches the
 * user handle the authenticator stored. The mail limits are consumed first,
 * so a refused sign-up sends nothing.
 */
export async function completeSignUp(input: {
  email: string;
  name: string;
  responseJson: string;
  ipAddress?: string;
  userAgent?: string;
}): Promise<User> {
  const { email, name } = signUpSchema.parse(input);
  const response = parseRegistrationResponse(input.responseJson);
  await consumeRateLimit(rateLimits.mailPerAddress, email);
  if (input.ipAddress) await consumeRateLimit(rateLimits.mailPerIp, input.ipAddress);

  const user = await db()
    .$transaction(async (tx) => {
      const { challenge, credential } = await verifyPasskeyRegistration(tx, { response, purpose: "sign-up" });
      if (!challenge.userId) throw accountExistsError(); // unreachable: sign-up challenges always carry the new id
      if (await tx.user.findUnique({ where: { email }, select: { id: true } })) throw accountExistsError();
      const created = await tx.user.create({ data: { id: challenge.userId, email, name, emailVerifiedAt: null } });
      const actor = { type: "user" as const, id: created.id };
      await appendAuditEvent(tx, {
        actor,
        action: "user.created",
        subject: { type: "user", id: created.id },
        state: { email, name, emailVerified: false },
        data: { via: "passkey_sign_up" },
      });
      const passkeyName = describeUserAgent(input.userAgent);
      const passkey = await tx.passkey.create({
        data: { id: newId("pk"), userId: created.id, name: passkeyName, ...credential },
      });
      await appendAuditEvent(tx, {
        actor,
        action: "passkey.added",
        subject: { type: "passkey", id: passkey.id },
        state: {
          userId: created.id,
          name: passkeyName,
          credentialId: passkey.credentialId,
          deviceType: passkey.deviceType,
          backedUp: passkey.backedUp,
        },
        data: { userId: created.id, name: passkeyName },
      });
      const code = await issueEmailCode(tx, { email });
      await queueMail(tx, {
        to: email,
        template: "verify-email",
        content: verifyEmailEmail({
          name,
          code,
          ttlMinutes: EMAIL_CODE_TTL_MINUTES,
          accountUrl: `${env().publicUrl}/account`,
        }),
      });
      return created;
    })
    .catch((e: unknown) => {
      // Two sign-ups for one address racing: the second meets the unique index.
      if (isUniqueViolation(e)) throw accountExistsError();
      throw e;
    });
  kickOutbox();
  return user;
}
