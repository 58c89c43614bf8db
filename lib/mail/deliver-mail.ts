import "server-only";
import { z } from "zod";
import nodemailer from "nodemailer";
import type { Transporter } from "nodemailer";
import { db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { defineEffect } from "@/lib/outbox/define-effect";
import { openMailContent } from "@/lib/mail/mail-content";

let transporter: Transporter | undefined;

function smtp(): Transporter | undefined {
  const url = env().smtpUrl;
  if (!url) return undefined;
  transporter ??= nodemailer.createTransport(url);
  return transporter;
}

/**
 * Sends one queued message. With SMTP configured the message goes out by SMTP
 * (the Message-ID is derived from our id so a retried send is recognisable)
 * and its sealed content is purged in the same update that records the send:
 * once the recipient's server has it, we keep no copy of the codes and links
 * it carries. Without SMTP there is nobody to hand it to, so the sealed
 * content stays for the dev mailbox (embedded development) and the operator's
 * `cli mail last`.
 */
export async function deliverMail(payload: { messageId: string }): Promise<void> {
  const message = await db().mailMessage.findUnique({ where: { id: payload.messageId } });
  if (!message || message.sentAt) return;
  const content = openMailContent(message);
  if (!content) {
    // Purged before it was sent (the migration that sealed mail dropped plaintext content): nothing to send.
    await db().mailMessage.update({ where: { id: message.id }, data: { error: "content purged before delivery" } });
    return;
  }
  const transport = smtp();
  if (transport) {
    await transport.sendMail({
      from: env().mailFrom,
      to: message.to,
      ...content,
      messageId: `<${message.id}@guildhall>`,
    });
  }
  const now = new Date();
  await db().mailMessage.update({
    where: { id: message.id },
    data: transport
      ? { sentAt: now, transport: "smtp", sealedContent: null, contentPurgedAt: now }
      : { sentAt: now, transport: "dev-mailbox" },
  });
}

/** The outbox effect that delivers a message queued by queueMail. */
export const sendMailEffect = defineEffect({
  kind: "mail.send",
  schema: z.object({ messageId: z.string() }),
  handle: deliverMail,
});
