"use server";

import { z } from "zod";
import { revalidatePath } from "next/cache";
import { requireAccess } from "@/lib/auth/require-access";
import { runVoidAction } from "@/app/action-result";
import { revokeGrant } from "@/lib/oidc/grants/revoke-grant";

/** Withdraws the signed-in user's consent to one app; another user's grant is NOT_FOUND. */
export async function revokeGrantAction(grantId: string): Promise<void> {
  await runVoidAction([grantId], async () => {
    const { session } = await requireAccess("signed-in");
    await revokeGrant({ userId: session.userId, grantId: z.string().min(1).max(100).parse(grantId) });
    revalidatePath("/account/apps");
  });
}
