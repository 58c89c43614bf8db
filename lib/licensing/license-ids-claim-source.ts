import "server-only";
import type { ClaimSource } from "@/lib/oidc/claims/claim-sources";
import { listActiveLicenseIdsForOrgs } from "@/lib/licensing/list-active-license-ids-for-orgs";

/**
 * The active licenses of the theaters the user belongs to, released with the
 * "memberships" scope, so a host can tell a licensed theater's staff without
 * calling Guildhall again.
 */
export const licenseIdsClaimSource: ClaimSource = {
  scope: "memberships",
  claims: ["license_ids"],
  async resolve(ctx) {
    const theaterIds = (await ctx.access()).memberships.filter((m) => m.kind === "THEATER").map((m) => m.orgId);
    return { license_ids: theaterIds.length ? await listActiveLicenseIdsForOrgs(theaterIds) : [] };
  },
};
