"use server";

import { requireAccess } from "@/lib/auth/require-access";
import { runAction, type ActionResult } from "@/app/action-result";
import { deleteAccount } from "@/lib/portability/delete-account";

/** Deletes the signed-in person's own account, with the reason they typed (confirmed in the dialog). */
export async function deleteAccountAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const { session } = await requireAccess("signed-in");
    await deleteAccount({ userId: session.userId, reason: String(form.get("reason") ?? "") });
    return "Your account is deleted. You are signed out everywhere.";
  });
}
