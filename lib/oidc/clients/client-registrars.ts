import "server-only";
import type { OidcClient } from "@/lib/generated/prisma/client";
import { processSlot, requireSlot } from "@/lib/process-state";

/**
 * A way a client comes to exist at its first authorization request, without
 * a registration step: OpenID Federation's automatic registration, where the
 * client id is the relying party's entity identifier and the provider
 * resolves its metadata through the trust chain. The federation domain
 * defines it and the composition root lists it, so the OpenID provider never
 * imports the federation.
 */
export type ClientRegistrar = {
  readonly name: string;
  /** Whether client ids of this form are this registrar's (an entity identifier is a URL). */
  handles(clientId: string): boolean;
  /**
   * The client, registered or brought up to date now, given the row there is (null at first contact). Throws
   * AutomaticRegistrationRefused, whose description the authorization endpoint shows on its own page.
   */
  register(clientId: string, existing: OidcClient | null): Promise<OidcClient>;
};

/** A registrar refused the client: no trusted redirect URI exists, so the error is shown on Guildhall's page. */
export class AutomaticRegistrationRefused extends Error {
  constructor(readonly description: string) {
    super(description);
  }
}

/** The `registeredVia` of clients a registrar made: only those are handed back to it. */
export const AUTOMATIC_REGISTRATION = "federation_automatic";

const slot = processSlot<readonly ClientRegistrar[]>("clientRegistrars");

export function installClientRegistrars(registrars: readonly ClientRegistrar[]): void {
  slot.set(registrars);
}

function installedClientRegistrars(): readonly ClientRegistrar[] {
  return requireSlot(
    slot,
    "no client registrars are installed: start the process through startPortal, the CLI or the test setup (lib/composition)",
  );
}

/**
 * The client an authorization request names: the row as it is for a client
 * registered beforehand; for an id a registrar handles, whatever it makes of
 * it (a first registration, a refresh of an expired one, or a refusal).
 */
export async function clientForAuthorization(
  clientId: string,
  existing: OidcClient | null,
): Promise<OidcClient | null> {
  if (existing && existing.registeredVia !== AUTOMATIC_REGISTRATION) return existing;
  const registrar = installedClientRegistrars().find((r) => r.handles(clientId));
  if (!registrar) return existing;
  return registrar.register(clientId, existing);
}
