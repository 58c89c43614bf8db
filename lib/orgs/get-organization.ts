import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { orgSlugSchema } from "@/lib/orgs/org-schemas";

/** An organization by slug, or NOT_FOUND. */
export async function getOrganizationBySlugOrThrow(slug: string) {
  const parsed = orgSlugSchema.safeParse(slug);
  const org = parsed.success ? await db().organization.findUnique({ where: { slug: parsed.data } }) : null;
  if (!org) throw new AppError("NOT_FOUND", { userMessage: `No organization "${slug}".` });
  return org;
}
