import "server-only";
import { env } from "@/lib/config/env";

/** WebAuthn's relying party is the portal's public origin; never the request's Host. */
export function relyingParty() {
  const url = new URL(env().publicUrl);
  return { rpID: url.hostname, rpName: "Guildhall", origin: url.origin };
}
