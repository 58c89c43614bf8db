import "server-only";
import { z } from "zod";
import type { RenderedEmail } from "@/emails/layout";
import { env } from "@/lib/config/env";
import { sealWithKey, unsealWithKey } from "@/lib/crypto/sealed-box";

/**
 * A message's subject, text and HTML, sealed together: mail carries sign-in
 * codes and invitation links (the subject of a sign-in code names the code),
 * so nothing of it is stored readable. Whoever reads the table, a database
 * dump or a backup without MASTER_KEY reads only the recipient and template.
 * (Sealed as lib/keys/seal does, under the same master key; lib/mail sits on
 * the floor of lib/keys, so it calls the sealed box directly.)
 */
export const MAIL_CONTENT_PURPOSE = "mail-content";

const contentSchema = z.object({ subject: z.string(), text: z.string(), html: z.string() });

export function sealMailContent(email: RenderedEmail): string {
  return sealWithKey(MAIL_CONTENT_PURPOSE, JSON.stringify(contentSchema.parse(email)), env().masterKey);
}

/** The content of a stored message, or undefined once it was purged. */
export function openMailContent(message: { sealedContent: string | null }): RenderedEmail | undefined {
  if (message.sealedContent === null) return undefined;
  return contentSchema.parse(
    JSON.parse(unsealWithKey(MAIL_CONTENT_PURPOSE, message.sealedContent, env().masterKey).toString("utf8")),
  );
}
