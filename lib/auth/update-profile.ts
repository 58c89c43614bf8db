import "server-only";
import { db } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { displayNameSchema } from "@/lib/auth/account-schemas";
import { invalidateLocalCaches } from "@/lib/db/invalidation-feed";

/** Changes the signed-in user's display name. */
export async function updateProfile(input: { userId: string; name: string }) {
  const name = displayNameSchema.parse(input.name);
  return db().$transaction(async (tx) => {
    const user = await tx.user.update({ where: { id: input.userId }, data: { name } });
    invalidateLocalCaches();
    await appendAuditEvent(tx, {
      actor: { type: "user", id: user.id },
      action: "user.renamed",
      subject: { type: "user", id: user.id },
      state: { email: user.email, name },
      data: { name },
    });
    return user;
  });
}
