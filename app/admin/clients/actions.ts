"use server";

import { z } from "zod";
import { revalidatePath } from "next/cache";
import { requireAccess } from "@/lib/auth/require-access";
import { formFields, runVoidAction } from "@/app/action-result";
import { actionResult, type ActionResult } from "@/lib/oidc/http/action-result";
import { reviewClient } from "@/lib/oidc/clients/review-client";
import { issueInitialAccessToken, revokeInitialAccessToken } from "@/lib/oidc/clients/initial-access-tokens";

const reviewSchema = z.object({ clientId: z.string().min(1), status: z.enum(["approved", "rejected", "suspended"]) });

export async function reviewClientAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return actionResult(async () => {
    const { actor } = await requireAccess({ role: "ORG_ADMIN" });
    const input = reviewSchema.parse(formFields(form));
    await reviewClient({ clientId: input.clientId, status: input.status, actor });
    revalidatePath("/admin/clients");
    return { ok: `Client ${input.clientId} is now ${input.status}.` };
  });
}

const issueSchema = z.object({
  hostOrgId: z
    .string()
    .optional()
    .transform((v) => v || null),
  ttlDays: z.coerce.number().int().min(1).max(90),
});

export async function issueInitialAccessTokenAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return actionResult(async () => {
    const { actor } = await requireAccess({ role: "ORG_ADMIN" });
    const input = issueSchema.parse(formFields(form));
    const issued = await issueInitialAccessToken({
      actor,
      hostOrgId: input.hostOrgId,
      ttlDays: input.ttlDays,
    });
    revalidatePath("/admin/clients");
    return {
      ok: `Initial access token ${issued.id} issued, valid until ${issued.expiresAt.toISOString()}. Use it as a Bearer token at /oidc/register.`,
      secret: issued.token,
    };
  });
}

export async function revokeInitialAccessTokenAction(id: string): Promise<void> {
  await runVoidAction([id], async () => {
    const { actor } = await requireAccess({ role: "ORG_ADMIN" });
    await revokeInitialAccessToken({ id: z.string().min(1).max(100).parse(id), actor });
    revalidatePath("/admin/clients");
  });
}
