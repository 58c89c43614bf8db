import "server-only";
import type { EffectDefinition } from "@/lib/outbox/define-effect";
import { installEffects } from "@/lib/outbox/installed-effects";
import { installOrderFulfillers, type OrderFulfillers } from "@/lib/payments/order-fulfillers";
import { installSessionEndHooks, type SessionEndHook } from "@/lib/auth/session-end-effects";
import { installClaimSources, type ClaimSource } from "@/lib/oidc/claims/claim-sources";
import { installCredentialRevokers, type CredentialRevoker } from "@/lib/access/credential-revokers";
import { installClientRegistrars, type ClientRegistrar } from "@/lib/oidc/clients/client-registrars";

/**
 * The lists through which a domain serves others without them importing
 * it: the outbox delivers effects, payments runs the fulfiller of a paid
 * order's kind, auth runs the session-end hooks, the OpenID provider asks the
 * claim sources, disabling a user runs every credential revoker, and the authorization endpoint asks the client registrars about a client id it does not know. Each list's entries are defined in their own domains; the
 * composition root (portal-composition.ts) names them all.
 */
export type Composition = {
  effects: readonly EffectDefinition[];
  orderFulfillers: OrderFulfillers;
  sessionEndHooks: readonly SessionEndHook[];
  claimSources: readonly ClaimSource[];
  credentialRevokers: readonly CredentialRevoker[];
  /** Clients that register themselves at their first authorization request (OpenID Federation's automatic registration). */
  clientRegistrars: readonly ClientRegistrar[];
};

/** Makes a composition this process's own (startPortal, the CLI and the tests call this once, before anything else). */
export function installComposition(composition: Composition): void {
  installEffects(composition.effects);
  installOrderFulfillers(composition.orderFulfillers);
  installSessionEndHooks(composition.sessionEndHooks);
  installClaimSources(composition.claimSources);
  installCredentialRevokers(composition.credentialRevokers);
  installClientRegistrars(composition.clientRegistrars);
}
