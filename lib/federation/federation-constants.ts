import "server-only";
import { env } from "@/lib/config/env";

/** The trust anchor's Entity Identifier: the portal's public URL, as the OpenID provider's issuer is. */
export function trustAnchorId(): string {
  return env().publicUrl;
}

export const federationPaths = {
  fetch: "/federation/fetch",
  list: "/federation/list",
  resolve: "/federation/resolve",
  trustMark: "/federation/trust-mark",
  trustMarkStatus: "/federation/trust-mark-status",
} as const;

export function federationEndpoint(name: keyof typeof federationPaths): string {
  return `${trustAnchorId()}${federationPaths[name]}`;
}

/** Trust mark types are URLs under the anchor, so they name their issuer and never collide with another federation's. */
export function trustMarkTypes() {
  return {
    admittedHost: `${trustAnchorId()}/trust-marks/admitted-host`,
    licensedTheater: `${trustAnchorId()}/trust-marks/licensed-theater`,
  };
}

/** Media types and JWT `typ` values of OpenID Federation 1.0 (the `typ` is the media type without `application/`). */
export const federationTypes = {
  entityStatement: "entity-statement+jwt",
  resolveResponse: "resolve-response+jwt",
  trustMark: "trust-mark+jwt",
  trustMarkStatusResponse: "trust-mark-status-response+jwt",
} as const;

/** Lifetimes, in seconds. A subordinate statement is short-lived so that a removal takes effect within the hour even for those who cached it. */
export const federationTtl = {
  entityConfigurationSeconds: 24 * 3600,
  subordinateStatementSeconds: 3600,
  resolveResponseSeconds: 3600,
  admittedHostTrustMarkSeconds: 24 * 3600,
  /** How long a signed document is reused within a process before being signed again. */
  cacheSeconds: 60,
} as const;
