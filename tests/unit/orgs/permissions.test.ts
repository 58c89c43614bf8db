import { describe, expect, it } from "vitest";
import { canManageOrg, canViewOrg, isOrgAdmin, managerRoleOf } from "@/lib/orgs/org-permissions";
import type { Actor } from "@/lib/access/actor";
import { invitationState } from "@/lib/orgs/get-invitation-by-token";
import type { UserAccess } from "@/lib/access/user-access";

const theater = { id: "org_t", kind: "THEATER" as const };
const host = { id: "org_h", kind: "HOST" as const };

function user(access: Partial<UserAccess>): Actor {
  return { type: "user", id: "usr_x", access: { userId: "usr_x", roles: [], memberships: [], ...access } };
}
const membership = (org: { id: string; kind: "THEATER" | "HOST" }, role: "THEATER_ADMIN" | "HOST_OPERATOR") => ({
  orgId: org.id,
  slug: org.id,
  name: org.id,
  kind: org.kind,
  role,
});

describe("organization permissions", () => {
  it("lets org admins and the system manage every organization", () => {
    for (const p of [user({ roles: ["ORG_ADMIN"] }), { type: "system" as const, id: "cli" }]) {
      expect(isOrgAdmin(p)).toBe(true);
      expect(canManageOrg(p, theater) && canManageOrg(p, host)).toBe(true);
      expect(canViewOrg(p, theater)).toBe(true);
    }
  });

  it("lets a theater admin manage their theater only, and a host operator their host only", () => {
    const theaterAdmin = user({ memberships: [membership(theater, "THEATER_ADMIN")] });
    expect([
      canManageOrg(theaterAdmin, theater),
      canManageOrg(theaterAdmin, host),
      canViewOrg(theaterAdmin, host),
    ]).toEqual([true, false, false]);
    const operator = user({ memberships: [membership(host, "HOST_OPERATOR")] });
    expect([canManageOrg(operator, host), canManageOrg(operator, theater)]).toEqual([true, false]);
  });

  it("gives the umbrella roles other than ORG_ADMIN no say over organizations", () => {
    const p = user({ roles: ["MEMBER", "COMMITTER", "FINANCE"] });
    expect([isOrgAdmin(p), canManageOrg(p, theater), canViewOrg(p, host)]).toEqual([false, false, false]);
  });

  it("does not let a mismatched membership role manage (a HOST_OPERATOR row on a theater)", () => {
    const odd = user({ memberships: [membership(theater, "HOST_OPERATOR")] });
    expect(canManageOrg(odd, theater)).toBe(false);
    expect(canViewOrg(odd, theater)).toBe(true);
  });

  it("maps each kind to its one membership role", () => {
    expect([managerRoleOf("THEATER"), managerRoleOf("HOST")]).toEqual(["THEATER_ADMIN", "HOST_OPERATOR"]);
  });
});

describe("invitation state", () => {
  const now = new Date("2026-11-24T12:00:00Z");
  const base = { acceptedAt: null, revokedAt: null, expiresAt: new Date("2026-11-25T12:00:00Z") };
  it("is pending until accepted, revoked or expired; use wins over the other states", () => {
    expect(invitationState(base, now)).toBe("pending");
    expect(invitationState({ ...base, expiresAt: now }, now)).toBe("expired");
    expect(invitationState({ ...base, revokedAt: now, expiresAt: now }, now)).toBe("revoked");
    expect(invitationState({ ...base, acceptedAt: now, revokedAt: now }, now)).toBe("accepted");
  });
});
