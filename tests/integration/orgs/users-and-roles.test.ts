import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createUser } from "@/lib/orgs/create-user";
import { listUsers } from "@/lib/orgs/list-users";
import { grantRole } from "@/lib/orgs/grant-role";
import { revokeRole } from "@/lib/orgs/revoke-role";
import { cliActor } from "@/lib/access/actor";
import { seedUser, uniqueEmail } from "@/tests/support/factories";
import { lastAuditActions, principalOf } from "./helpers";

describe("users and global roles", () => {
  it("creates users with roles, audited, and refuses duplicates and non-admins", async () => {
    const email = uniqueEmail("created");
    const user = await createUser({
      email: ` ${email.toUpperCase()} `,
      name: "Cora",
      roles: ["MEMBER", "FINANCE"],
      actor: cliActor,
    });
    expect(user).toMatchObject({ email, name: "Cora", roles: ["MEMBER", "FINANCE"], emailVerifiedAt: null });
    expect(await lastAuditActions(3)).toEqual(["user.created", "role.granted", "role.granted"]);
    await expect(createUser({ email, actor: cliActor })).rejects.toMatchObject({
      code: "CONFLICT",
      reason: "EMAIL_TAKEN",
    });
    const { user: member } = await seedUser({ roles: ["MEMBER"] });
    await expect(createUser({ email: uniqueEmail(), actor: await principalOf(member.id) })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      createUser({ email: uniqueEmail(), roles: ["KING" as "MEMBER"], actor: cliActor }),
    ).rejects.toMatchObject({
      name: "ZodError",
    });
  });

  it("grants and revokes roles (org admins only), idempotently", async () => {
    const { user: admin } = await seedUser({ roles: ["ORG_ADMIN"] });
    const { user: target } = await seedUser();
    const by = await principalOf(admin.id);
    expect(await grantRole({ userId: target.id, role: "COMMITTER", actor: by })).toEqual({ changed: true });
    expect(await grantRole({ userId: target.id, role: "COMMITTER", actor: by })).toEqual({ changed: false });
    const grant = await db().auditEvent.findFirstOrThrow({ where: { action: "role.granted", subjectId: target.id } });
    expect(grant).toMatchObject({ actorType: "user", actorId: admin.id, data: { role: "COMMITTER" } });
    await expect(
      grantRole({ userId: admin.id, role: "FINANCE", actor: await principalOf(target.id) }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      revokeRole({ userId: target.id, role: "COMMITTER", actor: await principalOf(target.id) }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await revokeRole({ userId: target.id, role: "COMMITTER", actor: by })).toEqual({ changed: true });
    expect(await revokeRole({ userId: target.id, role: "COMMITTER", actor: by })).toEqual({ changed: false });
    await expect(grantRole({ userId: "usr_missing", role: "MEMBER", actor: by })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("never removes the last org admin, even when two admins revoke each other at once", async () => {
    await db().userRole.deleteMany({ where: { role: "ORG_ADMIN" } });
    const { user: a } = await seedUser({ roles: ["ORG_ADMIN"] });
    const { user: b } = await seedUser({ roles: ["ORG_ADMIN"] });
    const [byA, byB] = [await principalOf(a.id), await principalOf(b.id)];
    const results = await Promise.allSettled([
      revokeRole({ userId: b.id, role: "ORG_ADMIN", actor: byA }),
      revokeRole({ userId: a.id, role: "ORG_ADMIN", actor: byB }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected");
    expect(refused?.status === "rejected" && refused.reason).toMatchObject({
      code: "CONFLICT",
      reason: "LAST_ORG_ADMIN",
    });
    expect(await db().userRole.count({ where: { role: "ORG_ADMIN" } })).toBe(1);
    await expect(
      revokeRole({
        userId: (await db().userRole.findFirstOrThrow({ where: { role: "ORG_ADMIN" } })).userId,
        role: "ORG_ADMIN",
        actor: cliActor,
      }),
    ).rejects.toMatchObject({ reason: "LAST_ORG_ADMIN" });
  });

  it("lists users with roles and memberships, filtered and paged", async () => {
    const tag = `list${Date.now()}`;
    for (let i = 0; i < 3; i++)
      await createUser({ email: `${tag}-${i}@example.test`, roles: i === 0 ? ["FINANCE"] : [], actor: cliActor });
    const page1 = await listUsers({ query: tag, limit: 2 });
    expect(page1.users.map((u) => u.email)).toEqual([`${tag}-0@example.test`, `${tag}-1@example.test`]);
    expect(page1.users[0].roles).toEqual(["FINANCE"]);
    const page2 = await listUsers({ query: tag, limit: 2, after: page1.nextAfter ?? undefined });
    expect(page2.users.map((u) => u.email)).toEqual([`${tag}-2@example.test`]);
    expect(page2.nextAfter).toBeNull();
    expect((await listUsers({ query: tag, role: "FINANCE" })).users).toHaveLength(1);
  });
});
