"use server";

import { z } from "zod";
import { revalidatePath } from "next/cache";
import { requireAccess } from "@/lib/auth/require-access";
import { revokeGrant } from "@/lib/oidc/grants/revoke-grant";

/** Withdraws the signed-in user's consent to one app; another user's grant is NOT_FOUND. */
export async function revokeGrantAction(grantId: string): Promise<void> {
  const { session } = await requireAccess("signed-in");
  await revokeGrant({ userId: session.userId, grantId: z.string().min(1).parse(grantId) });
  revalidatePath("/account/apps");
}
