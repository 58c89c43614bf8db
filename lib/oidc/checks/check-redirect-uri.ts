import "server-only";
import type { OidcClient } from "@/lib/generated/prisma/client";
import { isLoopbackHost } from "@/lib/oidc/clients/client-metadata";

/**
 * Redirect URI matching (OIDC Core §3.1.2.1, RFC 8252 §7.3). The URI must
 * equal a registered one character for character; the only exception is a
 * native client's http loopback URI, where any port is accepted (the app
 * listens on an ephemeral one). Returns whether it matches.
 */
export function redirectUriMatches(client: OidcClient, redirectUri: string): boolean {
  if (client.redirectUris.includes(redirectUri)) return true;
  if (client.applicationType !== "native") return false;
  let asked: URL;
  try {
    asked = new URL(redirectUri);
  } catch {
    return false;
  }
  if (asked.protocol !== "http:" || !isLoopbackHost(asked.hostname)) return false;
  return client.redirectUris.some((registered) => {
    const r = new URL(registered);
    if (r.protocol !== "http:" || !isLoopbackHost(r.hostname)) return false;
    r.port = asked.port;
    return r.href === asked.href;
  });
}
