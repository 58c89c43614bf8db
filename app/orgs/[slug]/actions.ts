"use server";
import { z } from "zod";
import { revalidatePath } from "next/cache";
import { requireAccess } from "@/lib/auth/require-access";
import { inviteMember, inviteMemberSchema } from "@/lib/orgs/invite-member";
import { removeMember, removeMemberSchema } from "@/lib/orgs/remove-member";
import { revokeInvitation } from "@/lib/orgs/revoke-invitation";
import { updateOrganization, updateOrganizationSchema } from "@/lib/orgs/update-organization";
import { formFields, runAction, type ActionResult } from "@/app/action-result";

/**
 * The organization page's actions. Each one parses its form, signs in the
 * caller and leaves the permission check to the domain function, which knows
 * the organization the (possibly tampered) form names.
 */
const pathSchema = z.object({ slug: z.string().max(40).optional() });

function refresh(formData: FormData) {
  const { slug } = pathSchema.parse(formFields(formData));
  if (slug) revalidatePath(`/orgs/${slug}`);
}

export async function inviteMemberAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const input = inviteMemberSchema.parse(formFields(formData));
    const inv = await inviteMember({ ...input, actor: (await requireAccess("signed-in")).actor });
    refresh(formData);
    return `Invitation sent to ${inv.email}.`;
  });
}

export async function revokeInvitationAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const input = z.object({ invitationId: z.string().min(1).max(100) }).parse(formFields(formData));
    await revokeInvitation({ ...input, actor: (await requireAccess("signed-in")).actor });
    refresh(formData);
    return "Invitation withdrawn.";
  });
}

export async function removeMemberAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const input = removeMemberSchema.parse(formFields(formData));
    await removeMember({ ...input, actor: (await requireAccess("signed-in")).actor });
    refresh(formData);
    return "Member removed.";
  });
}

export async function renameOrganizationAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const input = updateOrganizationSchema.parse(formFields(formData));
    const org = await updateOrganization({ ...input, actor: (await requireAccess("signed-in")).actor });
    refresh(formData);
    return `Renamed to ${org.name}.`;
  });
}
