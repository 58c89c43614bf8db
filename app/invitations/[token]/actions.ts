"use server";
import { z } from "zod";
import { redirect } from "next/navigation";
import { requireAccess } from "@/lib/auth/require-access";
import { acceptInvitation } from "@/lib/orgs/accept-invitation";
import { formFields, runAction, type ActionResult } from "@/app/action-result";

/** Accepts for the signed-in user only; the domain function checks that their verified email is the one invited. */
export async function acceptInvitationAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  let slug = "";
  const result = await runAction(async () => {
    const { token } = z.object({ token: z.string().max(200) }).parse(formFields(formData));
    const { session } = await requireAccess("signed-in");
    const { org } = await acceptInvitation({ token, userId: session.userId });
    slug = org.slug;
    return `You joined ${org.name}.`;
  });
  if (result?.ok) redirect(`/orgs/${slug}`);
  return result;
}
