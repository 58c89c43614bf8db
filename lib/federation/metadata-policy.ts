import "server-only";
import { HOST_API_SCOPES, OIDC_SCOPES } from "@/lib/oidc/scopes";
import { FederationError } from "@/lib/federation/federation-error";

/** The grant types a federated host's relying party may use. */
export const HOST_GRANT_TYPES = ["authorization_code", "refresh_token", "client_credentials"] as const;

type ParameterPolicy = { subset_of?: string[]; one_of?: string[]; essential?: boolean; default?: string[] };
export type MetadataPolicy = Record<string, Record<string, ParameterPolicy>>;

/**
 * What the trust anchor allows a host's OIDC client metadata to be, in its
 * subordinate statement (§6.1): redirect URIs only among those the host's
 * admission declared (and some required), the grant types and scopes a host
 * may use, and private_key_jwt client authentication (keys, not secrets).
 */
export function hostMetadataPolicy(redirectUris: string[]): MetadataPolicy {
  return {
    openid_relying_party: {
      redirect_uris: { subset_of: redirectUris, essential: true },
      grant_types: { subset_of: [...HOST_GRANT_TYPES], default: ["authorization_code"] },
      scope: { subset_of: [...OIDC_SCOPES, ...HOST_API_SCOPES] },
      token_endpoint_auth_method: { one_of: ["private_key_jwt"], essential: true },
    },
  };
}

function asArray(name: string, value: unknown): string[] {
  if (name === "scope" && typeof value === "string") return value.split(" ").filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value;
  throw new FederationError("invalid_metadata", `${name} must be an array of strings`);
}

/**
 * Applies the operators this anchor uses, in the specification's order
 * (default, one_of, subset_of, essential; §6.1.3.1), to one entity type's
 * metadata. `scope` is handled as an array and put back as a
 * space-separated string. Broken resolved metadata (an essential parameter
 * missing, a value outside one_of, or, checked after, a relying party with no
 * redirect URI left) is refused with invalid_metadata, never used (§6.1.4.2).
 */
export function applyMetadataPolicy(
  metadata: Record<string, unknown>,
  policy: Record<string, ParameterPolicy>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...metadata };
  for (const [name, p] of Object.entries(policy)) {
    if (out[name] === undefined && p.default) out[name] = name === "scope" ? p.default.join(" ") : p.default;
    if (out[name] !== undefined && p.one_of) {
      if (typeof out[name] !== "string" || !p.one_of.includes(out[name] as string))
        throw new FederationError("invalid_metadata", `${name} must be one of ${p.one_of.join(", ")}`);
    }
    if (out[name] !== undefined && p.subset_of) {
      const allowed = new Set(p.subset_of);
      const kept = asArray(name, out[name]).filter((v) => allowed.has(v));
      out[name] = name === "scope" ? kept.join(" ") : kept;
    }
    if (p.essential && out[name] === undefined)
      throw new FederationError("invalid_metadata", `${name} is required by the federation's policy`);
  }
  return out;
}

/** The resolved relying-party metadata is usable: one that signs users in keeps at least one redirect URI. */
export function checkResolvedRelyingParty(metadata: Record<string, unknown>): void {
  const grants = (metadata.grant_types as string[] | undefined) ?? ["authorization_code"];
  const redirects = metadata.redirect_uris as string[] | undefined;
  if (grants.includes("authorization_code") && (!redirects || redirects.length === 0))
    throw new FederationError("invalid_metadata", "none of the redirect URIs is one the host's admission declared");
}
