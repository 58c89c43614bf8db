import crypto from "node:crypto";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { sha256Hex } from "@/lib/crypto/hash";
import type { GlobalRole, MembershipRole, OrgKind } from "@/lib/generated/prisma/client";

/** Small factories that make unique rows and return the whole graph. */
export function uniqueEmail(label = "user"): string {
  return `${label}-${crypto.randomBytes(5).toString("hex")}@example.test`;
}

export async function seedUser(opts: { email?: string; name?: string; roles?: GlobalRole[] } = {}) {
  const user = await db().user.create({
    data: {
      id: newId("usr"),
      email: opts.email ?? uniqueEmail(),
      name: opts.name ?? "Test User",
      emailVerifiedAt: new Date(),
    },
  });
  for (const role of opts.roles ?? []) await db().userRole.create({ data: { userId: user.id, role } });
  return { user };
}

export async function seedOrg(opts: { kind: OrgKind; slug?: string; name?: string; memberRole?: MembershipRole }) {
  const slug = opts.slug ?? `${opts.kind.toLowerCase()}-${crypto.randomBytes(4).toString("hex")}`;
  const org = await db().organization.create({
    data: { id: newId("org"), slug, name: opts.name ?? slug, kind: opts.kind },
  });
  const { user: admin } = await seedUser({ name: `${slug} admin` });
  const role = opts.memberRole ?? (opts.kind === "THEATER" ? "THEATER_ADMIN" : "HOST_OPERATOR");
  await db().membership.create({ data: { orgId: org.id, userId: admin.id, role } });
  return { org, admin };
}

/**
 * A passkey session of a user as signing in leaves one, but without its cookie or audit event: for tests of
 * what a session's id and sign-in time flow into (authorization codes, tokens, logouts).
 */
export async function seedPasskeySession(userId: string) {
  return db().session.create({
    data: {
      id: newId("ses"),
      tokenHash: sha256Hex(newId("t")),
      userId,
      authMethod: "passkey",
      authTime: new Date(),
      expiresAt: new Date(Date.now() + 3600_000),
    },
  });
}
