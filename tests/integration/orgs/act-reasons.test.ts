import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { grantRole } from "@/lib/orgs/grant-role";
import { revokeRole } from "@/lib/orgs/revoke-role";
import { createTheaterApiToken, revokeTheaterApiToken } from "@/lib/licensing/theater-api-tokens";
import { seedOrg, seedUser } from "@/tests/support/factories";
import { principalOf } from "./helpers";

/** The reason typed in the confirmation of an irreversible act is kept in that act's audit event. */
async function auditData(action: string, subjectId: string) {
  const event = await db().auditEvent.findFirstOrThrow({
    where: { action, subjectId },
    orderBy: { queued: "desc" },
    select: { data: true },
  });
  return event.data as Record<string, unknown>;
}

describe("reasons of irreversible acts", () => {
  it("records why a role was granted and revoked, and refuses a user who is not an org admin", async () => {
    const { user: admin } = await seedUser({ roles: ["ORG_ADMIN"] });
    const { user: target } = await seedUser();
    const by = await principalOf(admin.id);
    await grantRole({ userId: target.id, role: "FINANCE", reason: "Joins the finance team", actor: by });
    expect(await auditData("role.granted", target.id)).toMatchObject({
      role: "FINANCE",
      reason: "Joins the finance team",
    });
    const { user: member } = await seedUser({ roles: ["MEMBER"] });
    await expect(
      revokeRole({ userId: target.id, role: "FINANCE", reason: "Not allowed", actor: await principalOf(member.id) }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db().userRole.count({ where: { userId: target.id, role: "FINANCE" } })).toBe(1);
    await revokeRole({ userId: target.id, role: "FINANCE", reason: "Left the finance team", actor: by });
    expect(await auditData("role.revoked", target.id)).toMatchObject({
      role: "FINANCE",
      reason: "Left the finance team",
    });
  });

  it("records why an API token was revoked, and refuses another theater's admin", async () => {
    const { org, admin } = await seedOrg({ kind: "THEATER" });
    const other = await seedOrg({ kind: "THEATER" });
    const made = await createTheaterApiToken({
      orgId: org.id,
      name: "box office",
      actor: { type: "user", id: admin.id },
    });
    await expect(
      revokeTheaterApiToken({ tokenId: made.id, reason: "Not mine", actor: { type: "user", id: other.admin.id } }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await db().theaterApiToken.findUniqueOrThrow({ where: { id: made.id } })).revokedAt).toBeNull();
    await revokeTheaterApiToken({
      tokenId: made.id,
      reason: "Laptop with the token was lost",
      actor: { type: "user", id: admin.id },
    });
    expect(await auditData("theater_api_token.revoked", org.id)).toMatchObject({
      tokenId: made.id,
      reason: "Laptop with the token was lost",
    });
  });
});
