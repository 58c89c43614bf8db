import { z } from "zod";
import nodemailer from "nodemailer";
import type { Transporter } from "nodemailer";
import { db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { defineEffect } from "@/lib/outbox/define-effect";

let transporter: Transporter | undefined;

function smtp(): Transporter | undefined {
  const url = env().smtpUrl;
  if (!url) return undefined;
  transporter ??= nodemailer.createTransport(url);
  return transporter;
}

/**
 * Sends one queued message. With SMTP configured the message goes
 * out by SMTP (the Message-ID is derived from our id so a retried send is
 * recognisable); without it, it lands in the dev mailbox, which is the same
 * table read by the admin page and `cli mail last`.
 */
export async function deliverMail(payload: { messageId: string }): Promise<void> {
  const message = await db().mailMessage.findUnique({ where: { id: payload.messageId } });
  if (!message || message.sentAt) return;
  const transport = smtp();
  if (transport) {
    await transport.sendMail({
      from: env().mailFrom,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId: `<${message.id}@guildhall>`,
    });
  }
  await db().mailMessage.update({
    where: { id: message.id },
    data: { sentAt: new Date(), transport: transport ? "smtp" : "dev-mailbox" },
  });
}

/** The outbox effect that delivers a message queued by queueMail. */
export const sendMailEffect = defineEffect({
  kind: "mail.send",
  schema: z.object({ messageId: z.string() }),
  handle: deliverMail,
});
