import "server-only";
import type { UserAccess } from "@/lib/access/user-access";
import type { ClaimSource } from "@/lib/oidc/claims/claim-sources";

function membershipsOf(access: UserAccess, kind: "THEATER" | "HOST") {
  return access.memberships
    .filter((m) => m.kind === kind)
    .map((m) => ({ id: m.orgId, slug: m.slug, name: m.name, role: m.role }));
}

/** The claims of the standard scopes: profile, email, and Guildhall's roles and memberships. */
export const standardClaimSources: ClaimSource[] = [
  {
    scope: "profile",
    claims: ["name"],
    async resolve(ctx) {
      const user = await ctx.user();
      return user.name ? { name: user.name } : {};
    },
  },
  {
    scope: "email",
    claims: ["email", "email_verified"],
    async resolve(ctx) {
      const user = await ctx.user();
      return { email: user.email, email_verified: user.emailVerifiedAt !== null };
    },
  },
  {
    scope: "roles",
    claims: ["roles"],
    async resolve(ctx) {
      return { roles: (await ctx.access()).roles };
    },
  },
  {
    scope: "memberships",
    claims: ["theaters", "hosts"],
    async resolve(ctx) {
      const access = await ctx.access();
      return { theaters: membershipsOf(access, "THEATER"), hosts: membershipsOf(access, "HOST") };
    },
  },
];
