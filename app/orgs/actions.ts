"use server";
import { redirect } from "next/navigation";
import { requireAccess } from "@/lib/auth/require-access";
import { createOrganization, createOrganizationSchema } from "@/lib/orgs/create-organization";
import { formFields, runAction, type ActionResult } from "@/app/action-result";

export async function createOrganizationAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  let slug = "";
  const result = await runAction(async () => {
    const auth = await requireAccess({ role: "ORG_ADMIN" });
    const org = await createOrganization({
      ...createOrganizationSchema.parse(formFields(formData)),
      actor: auth.actor,
    });
    slug = org.slug;
    return `Created ${org.name}.`;
  });
  if (result?.ok) redirect(`/orgs/${slug}`);
  return result;
}
