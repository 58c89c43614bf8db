import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { passkeyNameSchema } from "@/lib/auth/account-schemas";

/**
 * Renames one of the user's own passkeys. A passkey of someone else is
 * NOT_FOUND, the same answer as a passkey that does not exist, so ids of other
 * people's passkeys cannot be probed.
 */
export async function renamePasskey(input: { userId: string; passkeyId: string; name: string }) {
  const name = passkeyNameSchema.parse(input.name);
  return db().$transaction(async (tx) => {
    const passkey = await tx.passkey.findFirst({ where: { id: input.passkeyId, userId: input.userId } });
    if (!passkey)
      throw new AppError("NOT_FOUND", { userMessage: "No such passkey on your account.", reason: "PASSKEY_NOT_FOUND" });
    const renamed = await tx.passkey.update({ where: { id: passkey.id }, data: { name } });
    await appendAuditEvent(tx, {
      actor: { type: "user", id: input.userId },
      action: "passkey.renamed",
      subject: { type: "passkey", id: passkey.id },
      state: { userId: input.userId, name },
      data: { userId: input.userId, from: passkey.name, to: name },
    });
    return renamed;
  });
}
