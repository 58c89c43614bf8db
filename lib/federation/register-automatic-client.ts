import "server-only";
import { db } from "@/lib/db/client";
import type { OidcClient } from "@/lib/generated/prisma/client";
import {
  AUTOMATIC_REGISTRATION,
  AutomaticRegistrationRefused,
  type ClientRegistrar,
} from "@/lib/oidc/clients/client-registrars";
import { setAutomaticClient } from "@/lib/oidc/clients/set-automatic-client";
import { FederationError } from "@/lib/federation/federation-error";
import { federationTtl } from "@/lib/federation/federation-constants";
import { resolveHostChain } from "@/lib/federation/resolve-entity";

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === "string") : []);

/**
 * Automatic registration (OpenID Federation 1.0 §12.1) of an admitted host's
 * relying party at its first authorization request, and again whenever the
 * last resolution has expired:
 *  1. the trust chain from the host's Entity Configuration to this anchor is
 *     resolved (resolveHostChain: admitted now, signed with an admitted key,
 *     naming this anchor) and the metadata policy applied to its
 *     `openid_relying_party` metadata (redirect URIs only among those its
 *     admission declared, the allowed grant types and scopes, private_key_jwt);
 *  2. the client is stored with that resolved metadata and the admitted keys,
 *     requiring signed request objects: the request object that carried this
 *     very request is then verified against those keys (the provider's usual
 *     check), which proves the requester holds the host's key;
 *  3. the resolution holds until the chain's earliest expiry, at most the
 *     subordinate statement's hour, so a removal reaches even a host that was
 *     registered a moment before (a removal also suspends the client at once).
 * Any failure refuses the request, and nothing is stored.
 */
export async function registerAutomaticClient(entityId: string, existing: OidcClient | null): Promise<OidcClient> {
  if (existing?.registeredVia === AUTOMATIC_REGISTRATION && existing.status === "approved") {
    const registration = await db().federationClientRegistration.findUnique({ where: { clientId: entityId } });
    if (registration && registration.expiresAt > new Date()) return existing;
  }
  let resolved: Awaited<ReturnType<typeof resolveHostChain>>;
  try {
    resolved = await resolveHostChain({ sub: entityId, entityTypes: ["openid_relying_party"] });
  } catch (e) {
    if (e instanceof FederationError) throw new AutomaticRegistrationRefused(`${e.code}: ${e.description}`);
    throw e;
  }
  const rp = resolved.metadata.openid_relying_party;
  if (!rp) throw new AutomaticRegistrationRefused("the entity configuration has no openid_relying_party metadata");
  const now = new Date();
  const expiresAt = new Date(
    Math.min(resolved.exp * 1000, now.getTime() + federationTtl.subordinateStatementSeconds * 1000),
  );
  const actor = { type: "system" as const, id: "federation-automatic-registration" };
  return db().$transaction(async (tx) => {
    const client = await setAutomaticClient(tx, {
      clientId: resolved.member.entityId,
      hostOrgId: resolved.member.hostOrgId,
      name: typeof rp.client_name === "string" ? rp.client_name.slice(0, 100) : resolved.member.entityId,
      redirectUris: strings(rp.redirect_uris),
      postLogoutRedirectUris: strings(rp.post_logout_redirect_uris).filter((u) => URL.canParse(u)),
      backchannelLogoutUri: null,
      grantTypes: strings(rp.grant_types),
      scopes: typeof rp.scope === "string" && rp.scope.trim() ? rp.scope.split(" ").filter(Boolean) : ["openid"],
      jwks: resolved.member.jwks,
      actor,
    });
    const registration = { hostOrgId: resolved.member.hostOrgId, resolvedAt: now, expiresAt };
    await tx.federationClientRegistration.upsert({
      where: { clientId: client.id },
      create: { clientId: client.id, ...registration },
      update: registration,
    });
    return client;
  });
}

/** The registrar the composition root lists: client ids that are URLs are entity identifiers. */
export const federationAutomaticRegistrar: ClientRegistrar = {
  name: "openid-federation-automatic",
  handles: (clientId) => /^https?:\/\//.test(clientId) && URL.canParse(clientId),
  register: registerAutomaticClient,
};
