import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/is-unique-violation";
import { newId } from "@/lib/ids";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { orgKindSchema, orgNameSchema, orgSlugSchema } from "@/lib/orgs/org-schemas";
import { assertOrgAdmin } from "@/lib/orgs/org-permissions";
import type { Actor } from "@/lib/access/actor";

export const createOrganizationSchema = z.object({
  slug: orgSlugSchema,
  name: orgNameSchema,
  kind: orgKindSchema,
});

/**
 * Creates a theater or host organization (org admins only). A theater is
 * active at once; a host starts PENDING, because hosts run the shared service
 * and are admitted by the members (see setOrganizationStatus).
 */
export async function createOrganization({
  actor,
  ...input
}: { actor: Actor } & z.input<typeof createOrganizationSchema>) {
  const { slug, name, kind } = createOrganizationSchema.parse(input);
  const status = kind === "HOST" ? "PENDING" : "ACTIVE";
  try {
    return await db().$transaction(async (tx) => {
      await assertOrgAdmin(tx, actor);
      const org = await tx.organization.create({ data: { id: newId("org"), slug, name, kind, status } });
      await appendAuditEvent(tx, {
        actor,
        action: "organization.created",
        subject: { type: "organization", id: org.id },
        state: { slug, name, kind, status },
        data: { slug, kind, status },
      });
      return org;
    });
  } catch (e) {
    if (isUniqueViolation(e, ["slug"])) {
      throw new AppError("CONFLICT", { userMessage: `The slug "${slug}" is taken.`, reason: "SLUG_TAKEN" });
    }
    throw e;
  }
}
