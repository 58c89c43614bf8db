import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createOrganization } from "@/lib/orgs/create-organization";
import { updateOrganization } from "@/lib/orgs/update-organization";
import { setOrganizationStatus } from "@/lib/orgs/set-organization-status";
import { listOrganizations } from "@/lib/orgs/list-organizations";
import { getOrganizationDetail } from "@/lib/orgs/get-organization-detail";
import { addMember } from "@/lib/orgs/add-member";
import { removeMember } from "@/lib/orgs/remove-member";
import { verifyStoredAuditChain } from "@/lib/audit/verify-stored-audit-chain";
import { cliActor } from "@/lib/access/actor";
import { seedOrg, seedUser } from "@/tests/support/factories";
import { lastAuditActions, principalOf } from "./helpers";

describe("organizations", () => {
  it("lets an org admin create a theater (active) and a host (pending), each audited", async () => {
    const { user: admin } = await seedUser({ roles: ["ORG_ADMIN"] });
    const by = await principalOf(admin.id);
    const theater = await createOrganization({ slug: "Rose-Theater", name: "The Rose", kind: "THEATER", actor: by });
    expect(theater).toMatchObject({ slug: "rose-theater", status: "ACTIVE", kind: "THEATER" });
    const host = await createOrganization({ slug: "south-host", name: "South Host", kind: "HOST", actor: by });
    expect(host.status).toBe("PENDING");
    const events = await db().auditEvent.findMany({ where: { subjectId: { in: [theater.id, host.id] } } });
    expect(events.map((e) => [e.action, e.actorId])).toEqual([
      ["organization.created", admin.id],
      ["organization.created", admin.id],
    ]);
  });

  it("refuses creation to a non-admin, a taken slug and a bad slug, changing nothing", async () => {
    const { user } = await seedUser({ roles: ["MEMBER"] });
    const before = await db().organization.count();
    await expect(
      createOrganization({ slug: "nope-org", name: "Nope", kind: "THEATER", actor: await principalOf(user.id) }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await createOrganization({ slug: "taken-slug", name: "First", kind: "THEATER", actor: cliActor });
    await expect(
      createOrganization({ slug: "taken-slug", name: "Second", kind: "HOST", actor: cliActor }),
    ).rejects.toMatchObject({ code: "CONFLICT", reason: "SLUG_TAKEN" });
    await expect(
      createOrganization({ slug: "Bad Slug!", name: "Bad", kind: "THEATER", actor: cliActor }),
    ).rejects.toMatchObject({ name: "ZodError" });
    expect(await db().organization.count()).toBe(before + 1);
  });

  it("admits a host through setOrganizationStatus in the caller's transaction", async () => {
    const host = await createOrganization({ slug: "admit-me", name: "Admit Me", kind: "HOST", actor: cliActor });
    await db().$transaction((tx) =>
      setOrganizationStatus(tx, { orgId: host.id, status: "ACTIVE", actor: { type: "system", id: "governance" } }),
    );
    expect((await db().organization.findUniqueOrThrow({ where: { id: host.id } })).status).toBe("ACTIVE");
    expect(await lastAuditActions(1)).toEqual(["organization.status_changed"]);
    // Same status again: nothing changes and nothing is recorded.
    const count = await db().auditEvent.count();
    await db().$transaction((tx) =>
      setOrganizationStatus(tx, { orgId: host.id, status: "ACTIVE", actor: { type: "system", id: "governance" } }),
    );
    expect(await db().auditEvent.count()).toBe(count);
    // A rolled-back caller takes the status change with it.
    await expect(
      db().$transaction(async (tx) => {
        await setOrganizationStatus(tx, {
          orgId: host.id,
          status: "SUSPENDED",
          actor: { type: "system", id: "governance" },
        });
        throw new Error("vote failed");
      }),
    ).rejects.toThrow("vote failed");
    expect((await db().organization.findUniqueOrThrow({ where: { id: host.id } })).status).toBe("ACTIVE");
  });

  it("lets a theater admin rename their theater but not another", async () => {
    const a = await seedOrg({ kind: "THEATER" });
    const b = await seedOrg({ kind: "THEATER" });
    const byA = await principalOf(a.admin.id);
    expect((await updateOrganization({ orgId: a.org.id, name: "Renamed A", actor: byA })).name).toBe("Renamed A");
    await expect(updateOrganization({ orgId: b.org.id, name: "Hijacked", actor: byA })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await db().organization.findUniqueOrThrow({ where: { id: b.org.id } })).name).toBe(b.org.name);
  });

  it("shows an organization to its members and org admins only", async () => {
    const a = await seedOrg({ kind: "HOST" });
    const { user: outsider } = await seedUser();
    const { user: admin } = await seedUser({ roles: ["ORG_ADMIN"] });
    const detail = await getOrganizationDetail({ slug: a.org.slug, actor: await principalOf(a.admin.id) });
    expect(detail.canManage).toBe(true);
    expect(detail.members.map((m) => m.userId)).toEqual([a.admin.id]);
    await expect(
      getOrganizationDetail({ slug: a.org.slug, actor: await principalOf(outsider.id) }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await getOrganizationDetail({ slug: a.org.slug, actor: await principalOf(admin.id) })).canManage).toBe(
      true,
    );
    await expect(
      getOrganizationDetail({ slug: "no-such-org", actor: await principalOf(admin.id) }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const mine = await listOrganizations({ actor: await principalOf(a.admin.id) });
    expect(mine.map((o) => o.slug)).toEqual([a.org.slug]);
    expect((await listOrganizations({ actor: await principalOf(outsider.id) })).length).toBe(0);
  });

  it("adds members directly (org admin) with the role that fits the organization", async () => {
    const t = await seedOrg({ kind: "THEATER" });
    const { user } = await seedUser();
    await expect(
      addMember({ orgId: t.org.id, userId: user.id, role: "HOST_OPERATOR", actor: cliActor }),
    ).rejects.toMatchObject({ code: "UNPROCESSABLE", reason: "ROLE_DOES_NOT_FIT_ORG" });
    await expect(
      addMember({ orgId: t.org.id, userId: user.id, actor: await principalOf(t.admin.id) }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await addMember({ orgId: t.org.id, userId: user.id, actor: cliActor })).toMatchObject({
      changed: true,
      membership: { role: "THEATER_ADMIN" },
    });
    expect(await addMember({ orgId: t.org.id, userId: user.id, actor: cliActor })).toMatchObject({ changed: false });
  });

  it("removes members; a manager cannot remove the last member nor touch another org", async () => {
    const a = await seedOrg({ kind: "THEATER" });
    const b = await seedOrg({ kind: "THEATER" });
    const { user: second } = await seedUser();
    await addMember({ orgId: a.org.id, userId: second.id, actor: cliActor });
    const byA = await principalOf(a.admin.id);
    await expect(removeMember({ orgId: b.org.id, userId: b.admin.id, actor: byA })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await removeMember({ orgId: a.org.id, userId: second.id, actor: byA });
    expect(await lastAuditActions(1)).toEqual(["membership.revoked"]);
    await expect(removeMember({ orgId: a.org.id, userId: a.admin.id, actor: byA })).rejects.toMatchObject({
      code: "CONFLICT",
      reason: "LAST_MEMBER",
    });
    await expect(removeMember({ orgId: a.org.id, userId: second.id, actor: byA })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await removeMember({ orgId: a.org.id, userId: a.admin.id, actor: cliActor });
    expect(await db().membership.count({ where: { orgId: a.org.id } })).toBe(0);
    expect((await verifyStoredAuditChain()).ok).toBe(true);
  });
});
