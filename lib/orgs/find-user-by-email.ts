import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { emailSchema } from "@/lib/mail/email-address";

/** The account of an address (compared lower-cased), or NOT_FOUND. */
export async function getUserByEmailOrThrow(email: string) {
  const normalized = emailSchema.parse(email);
  const user = await db().user.findUnique({ where: { email: normalized } });
  if (!user) throw new AppError("NOT_FOUND", { userMessage: `No account for ${normalized}.` });
  return user;
}
