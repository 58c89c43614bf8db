import { db } from "@/lib/db/client";
import { getUserAccess, type UserAccess } from "@/lib/orgs/get-user-access";
import { listActiveLicenseIdsForOrgs } from "@/lib/licensing/list-active-license-ids-for-orgs";

/**
 * Where userinfo claims come from: one source per group of claims, each
 * released by one scope. Another domain adds claims by appending a source
 * here (the licensing domain adds the license ids of the user's theaters to
 * the "memberships" scope), never by editing the endpoints.
 */
export type ClaimContext = {
  userId: string;
  clientId: string;
  scopes: string[];
  /** Loaded once per request and shared by every source. */
  user(): Promise<{ id: string; email: string; name: string | null; emailVerifiedAt: Date | null }>;
  access(): Promise<UserAccess>;
};

export type ClaimSource = {
  scope: string;
  claims: string[];
  resolve(ctx: ClaimContext): Promise<Record<string, unknown>>;
};

function membershipsOf(access: UserAccess, kind: "THEATER" | "HOST") {
  return access.memberships.filter((m) => m.kind === kind).map((m) => ({ id: m.orgId, slug: m.slug, name: m.name, role: m.role }));
}

export const claimSources: ClaimSource[] = [
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
  {
    // The active licenses of the theaters the user belongs to, so a host can
    // tell a licensed theater's staff without calling Guildhall again.
    scope: "memberships",
    claims: ["license_ids"],
    async resolve(ctx) {
      const theaterIds = (await ctx.access()).memberships.filter((m) => m.kind === "THEATER").map((m) => m.orgId);
      return { license_ids: theaterIds.length ? await listActiveLicenseIdsForOrgs(theaterIds) : [] };
    },
  },
];

type ClaimUser = Awaited<ReturnType<ClaimContext["user"]>>;

/** A claim context whose loaders run at most once; a user already loaded by the caller is reused. */
export function claimContext(p: { userId: string; clientId: string; scopes: string[] }, loadedUser?: ClaimUser): ClaimContext {
  let user: Promise<ClaimUser> | undefined = loadedUser ? Promise.resolve(loadedUser) : undefined;
  let access: Promise<UserAccess> | undefined;
  return {
    ...p,
    user: () => (user ??= db().user.findUniqueOrThrow({ where: { id: p.userId }, select: { id: true, email: true, name: true, emailVerifiedAt: true } })),
    access: () => (access ??= getUserAccess(p.userId)),
  };
}

/** The claims the granted scopes release, from every source. */
export async function collectClaims(p: { userId: string; clientId: string; scopes: string[] }, loadedUser?: ClaimUser): Promise<Record<string, unknown>> {
  const ctx = claimContext(p, loadedUser);
  const parts = await Promise.all(claimSources.filter((s) => p.scopes.includes(s.scope)).map((s) => s.resolve(ctx)));
  return Object.assign({}, ...parts);
}
