import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { emailSchema } from "@/lib/mail/email-address";

/** The newest message queued for an address (any transport), or NOT_FOUND. For operators and tests. */
export async function findLastMailToOrThrow(to: string) {
  const address = emailSchema.parse(to);
  const message = await db().mailMessage.findFirst({
    where: { to: address },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  if (!message) throw new AppError("NOT_FOUND", { userMessage: `No mail to ${address}.` });
  return message;
}
