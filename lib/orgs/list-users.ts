import "server-only";
import { z } from "zod";
import { db, type Prisma } from "@/lib/db/client";
import { globalRoleSchema } from "@/lib/orgs/org-schemas";

export const listUsersSchema = z.object({
  query: z.string().trim().max(254).optional(),
  role: globalRoleSchema.optional(),
  after: z.string().max(100).optional(), // id cursor, in email order
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/**
 * Accounts in email order with their roles and memberships, for the admin
 * page and the CLI. Permission is the caller's to check (ORG_ADMIN).
 */
export async function listUsers(input: z.input<typeof listUsersSchema> = {}) {
  const f = listUsersSchema.parse(input);
  const where: Prisma.UserWhereInput = {
    ...(f.query
      ? { OR: [{ email: { contains: f.query.toLowerCase() } }, { name: { contains: f.query, mode: "insensitive" } }] }
      : {}),
    ...(f.role ? { roles: { some: { role: f.role } } } : {}),
  };
  const rows = await db().user.findMany({
    where,
    orderBy: { email: "asc" },
    take: f.limit + 1,
    ...(f.after ? { cursor: { id: f.after }, skip: 1 } : {}),
    include: {
      roles: { select: { role: true }, orderBy: { role: "asc" } },
      memberships: { include: { org: { select: { slug: true, name: true, kind: true } } } },
    },
  });
  const users = rows.slice(0, f.limit).map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    emailVerified: u.emailVerifiedAt !== null,
    disabled: u.disabledAt !== null,
    createdAt: u.createdAt,
    lastLoginAt: u.lastLoginAt,
    roles: u.roles.map((r) => r.role),
    memberships: u.memberships.map((m) => ({
      orgSlug: m.org.slug,
      orgName: m.org.name,
      kind: m.org.kind,
      role: m.role,
    })),
  }));
  return { users, nextAfter: rows.length > f.limit ? users[users.length - 1].id : null };
}
