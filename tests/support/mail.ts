import type { RenderedEmail } from "@/emails/layout";
import { openMailContent } from "@/lib/mail/mail-content";

/** A stored message's content, for tests that read a mailed code or link; throws when it was purged. */
export function openedMail(message: { sealedContent: string | null }): RenderedEmail {
  const content = openMailContent(message);
  if (!content) throw new Error("the message's content was purged");
  return content;
}
