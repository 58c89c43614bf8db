import "server-only";
import { installedClaimSources } from "@/lib/oidc/claims/claim-sources";

/**
 * Scopes about the user (granted through consent) and API scopes (what a
 * client may do at Guildhall's own APIs, e.g. "tickets:write", granted to a
 * client by registration). API scopes contain a colon.
 */
export const OIDC_SCOPES = ["openid", "profile", "email", "offline_access", "roles", "memberships"] as const;
export type OidcScope = (typeof OIDC_SCOPES)[number];

/**
 * The machine-API scopes of a federation host's own credentials: ticket
 * checkouts, usage reports and release declarations, on its own behalf.
 */
export const HOST_API_SCOPES = ["tickets:write", "usage:report", "release:declare"] as const;

export function isApiScope(scope: string): boolean {
  return /^[a-z][a-z0-9_.-]*:[a-z0-9_.:-]+$/.test(scope);
}

export function isUserScope(scope: string): scope is OidcScope {
  return (OIDC_SCOPES as readonly string[]).includes(scope);
}

/** What the consent screen says about each user scope. */
export const scopeDescriptions: Record<OidcScope, string> = {
  openid: "Sign you in with your Guildhall account",
  profile: "Your name",
  email: "Your email address",
  offline_access: "Stay connected when you are not using the app",
  roles: "Your roles in the Guildhall organization",
  memberships: "The theaters and hosts you belong to",
};

/** The claims a scope releases, for the consent screen and discovery. */
export function claimsOfScope(scope: string): string[] {
  return installedClaimSources()
    .filter((s) => s.scope === scope)
    .flatMap((s) => s.claims);
}

export function parseScope(value: string | undefined): string[] {
  return [...new Set((value ?? "").split(" ").filter(Boolean))];
}
