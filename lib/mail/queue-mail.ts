import "server-only";
import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { enqueueEffect } from "@/lib/outbox/enqueue-effect";
import type { RenderedEmail } from "@/emails/layout";
import { sendMailEffect } from "@/lib/mail/deliver-mail";
import { sealMailContent } from "@/lib/mail/mail-content";

/**
 * Queues an email in the caller's transaction; lib/mail/deliver-mail.ts sends
 * it after commit (SMTP when SMTP_URL is set, the dev mailbox otherwise). The
 * content is stored sealed, never readable (lib/mail/mail-content.ts).
 */
export async function queueMail(
  tx: Tx,
  { to, template, content: email }: { to: string; template: string; content: RenderedEmail },
) {
  const id = newId("msg");
  await tx.mailMessage.create({ data: { id, to: to.toLowerCase(), template, sealedContent: sealMailContent(email) } });
  await enqueueEffect(tx, sendMailEffect, { messageId: id }, `mail.send:${id}`);
  return id;
}
