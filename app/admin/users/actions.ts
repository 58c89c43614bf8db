"use server";
import { z } from "zod";
import { revalidatePath } from "next/cache";
import { requireAccess } from "@/lib/auth/require-access";
import { grantRole, grantRoleSchema } from "@/lib/orgs/grant-role";
import { revokeRole, revokeRoleSchema } from "@/lib/orgs/revoke-role";
import { createUser } from "@/lib/orgs/create-user";
import { disableUser, disableUserSchema } from "@/lib/orgs/disable-user";
import { emailSchema } from "@/lib/mail/email-address";
import { globalRoleSchema } from "@/lib/orgs/org-schemas";
import { formFields, runAction, type ActionResult } from "@/app/action-result";
import { actReasonSchema } from "@/lib/audit/act-reason";
import { globalRoleLabels } from "@/lib/orgs/role-labels";

// The portal asks why before a role changes hands (app/confirm-with-reason.tsx); the reason goes into the audit.
const grantForm = grantRoleSchema.extend({ reason: actReasonSchema });
const revokeForm = revokeRoleSchema.extend({ reason: actReasonSchema });
const disableForm = disableUserSchema.extend({ reason: actReasonSchema });

/** Org admins' user actions; requireAccess refuses everyone else before any input is used. */
export async function grantRoleAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const auth = await requireAccess({ role: "ORG_ADMIN" });
    const input = grantForm.parse(formFields(formData));
    const { changed } = await grantRole({ ...input, actor: auth.actor });
    revalidatePath("/admin/users");
    const role = globalRoleLabels[input.role];
    return changed ? `Granted the ${role} role.` : `They already held the ${role} role; nothing changed.`;
  });
}

export async function revokeRoleAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const auth = await requireAccess({ role: "ORG_ADMIN" });
    const input = revokeForm.parse(formFields(formData));
    const { changed } = await revokeRole({ ...input, actor: auth.actor });
    revalidatePath("/admin/users");
    const role = globalRoleLabels[input.role];
    return changed ? `Revoked the ${role} role.` : `They did not hold the ${role} role; nothing changed.`;
  });
}

const createUserForm = z.object({
  email: emailSchema,
  name: z.string().trim().max(100).optional(),
  role: z.union([globalRoleSchema, z.literal("")]).optional(),
});

export async function createUserAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const auth = await requireAccess({ role: "ORG_ADMIN" });
    const { email, name, role } = createUserForm.parse(formFields(formData));
    const user = await createUser({ email, name: name || undefined, roles: role ? [role] : [], actor: auth.actor });
    revalidatePath("/admin/users");
    return `Created ${user.email}. They sign in with an emailed code.`;
  });
}

/** Disables an account; every credential acting for it ends in the same transaction (lib/orgs/disable-user.ts). */
export async function disableUserAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const auth = await requireAccess({ role: "ORG_ADMIN" });
    const input = disableForm.parse(formFields(formData));
    const { changed, ended } = await disableUser({ ...input, actor: auth.actor });
    revalidatePath("/admin/users");
    if (!changed) return "The account was already disabled.";
    const total = Object.values(ended).reduce((a, b) => a + b, 0);
    return `Account disabled; ${total} sign-in${total === 1 ? "" : "s"} and token${total === 1 ? "" : "s"} ended.`;
  });
}
