import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { emailSchema } from "@/lib/mail/email-address";
import { withOpenedContent } from "@/lib/mail/list-mail-messages";

/**
 * The newest message queued for an address (any transport), its content
 * opened while it is kept (undefined after SMTP took it), or NOT_FOUND. For
 * the operator's CLI and tests.
 */
export async function findLastMailToOrThrow(to: string, template?: string) {
  const address = emailSchema.parse(to);
  const message = await db().mailMessage.findFirst({
    where: { to: address, ...(template ? { template } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  if (!message) throw new AppError("NOT_FOUND", { userMessage: `No mail to ${address}.` });
  return withOpenedContent(message);
}
