import type { EffectDefinition } from "@/lib/outbox/define-effect";
import { installEffects } from "@/lib/outbox/installed-effects";
import { installOrderFulfillers, type OrderFulfillers } from "@/lib/payments/order-fulfillers";
import { installSessionEndHooks, type SessionEndHook } from "@/lib/auth/session-end-effects";
import { installClaimSources, type ClaimSource } from "@/lib/oidc/claims/claim-sources";
import { installCredentialRevokers, type CredentialRevoker } from "@/lib/access/credential-revokers";

/**
 * The five lists through which a domain serves others without them importing
 * it: the outbox delivers effects, payments runs the fulfiller of a paid
 * order's kind, auth runs the session-end hooks, the OpenID provider asks the
 * claim sources, and disabling a user runs every credential revoker. Each list's entries are defined in their own domains; the
 * composition root (portal-composition.ts) names them all.
 */
export type Composition = {
  effects: readonly EffectDefinition[];
  orderFulfillers: OrderFulfillers;
  sessionEndHooks: readonly SessionEndHook[];
  claimSources: readonly ClaimSource[];
  credentialRevokers: readonly CredentialRevoker[];
};

/** Makes a composition this process's own (startPortal, the CLI and the tests call this once, before anything else). */
export function installComposition(composition: Composition): void {
  installEffects(composition.effects);
  installOrderFulfillers(composition.orderFulfillers);
  installSessionEndHooks(composition.sessionEndHooks);
  installClaimSources(composition.claimSources);
  installCredentialRevokers(composition.credentialRevokers);
}
