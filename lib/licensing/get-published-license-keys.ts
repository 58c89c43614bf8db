import "server-only";
import { getPublicJwks } from "@/lib/keys/get-public-jwks";
import { getLicenseSigningKey } from "@/lib/licensing/get-license-signing-key";

/**
 * The license keys hosts verify license documents against. The active key is
 * made first if it does not exist yet, as the OIDC JWKS does, so a host that
 * fetches (and caches) the set before the first license is issued does not
 * hold an empty one.
 */
export async function getPublishedLicenseKeys() {
  await getLicenseSigningKey();
  return getPublicJwks(["license"]);
}
