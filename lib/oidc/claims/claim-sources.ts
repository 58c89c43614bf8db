import "server-only";
import { db } from "@/lib/db/client";
import { getUserAccess, type UserAccess } from "@/lib/access/user-access";
import { processSlot, requireSlot } from "@/lib/process-state";

/**
 * Where userinfo claims come from: one source per group of claims, each
 * released by one scope. The OpenID provider has its own (standard-claim-sources.ts);
 * another domain adds claims with a source of its own listed in the
 * composition root (the licensing domain adds the license ids of the user's
 * theaters to the "memberships" scope), never by editing the endpoints.
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

const slot = processSlot<readonly ClaimSource[]>("claimSources");

/** The claim sources of this process, listed by the composition root (lib/composition) and installed at start. */
export function installClaimSources(sources: readonly ClaimSource[]): void {
  slot.set(sources);
}

export function installedClaimSources(): readonly ClaimSource[] {
  return requireSlot(
    slot,
    "no claim sources are installed: start the process through startPortal, the CLI or the test setup (lib/composition)",
  );
}

type ClaimUser = Awaited<ReturnType<ClaimContext["user"]>>;

/** A claim context whose loaders run at most once; a user already loaded by the caller is reused. */
export function claimContext(
  p: { userId: string; clientId: string; scopes: string[] },
  loadedUser?: ClaimUser,
): ClaimContext {
  let user: Promise<ClaimUser> | undefined = loadedUser ? Promise.resolve(loadedUser) : undefined;
  let access: Promise<UserAccess> | undefined;
  return {
    ...p,
    user: () =>
      (user ??= db().user.findUniqueOrThrow({
        where: { id: p.userId },
        select: { id: true, email: true, name: true, emailVerifiedAt: true },
      })),
    access: () => (access ??= getUserAccess(p.userId)),
  };
}

/** The claims the granted scopes release, from every source. */
export async function collectClaims(
  p: { userId: string; clientId: string; scopes: string[] },
  loadedUser?: ClaimUser,
): Promise<Record<string, unknown>> {
  const ctx = claimContext(p, loadedUser);
  const parts = await Promise.all(
    installedClaimSources()
      .filter((s) => p.scopes.includes(s.scope))
      .map((s) => s.resolve(ctx)),
  );
  return Object.assign({}, ...parts);
}
