import "server-only";
import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type jwtVerify } from "jose";
import type { OidcClient } from "@/lib/generated/prisma/client";

/** The signature algorithms accepted from clients (assertions, request objects): asymmetric ones only. */
export const CLIENT_SIGNING_ALGS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
];

// Remote key sets are cached per URI; jose refreshes one on an unknown kid (with a cooldown).
const remoteSets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/**
 * The public keys a client registered (its JWKS, or its jwks_uri), as jose's
 * key resolver; undefined when it registered none. Shared by client
 * assertions (private_key_jwt) and signed request objects (RFC 9101).
 */
export function clientKeySet(client: OidcClient): Parameters<typeof jwtVerify>[1] | undefined {
  if (client.jwks) return createLocalJWKSet(client.jwks as unknown as JSONWebKeySet);
  if (!client.jwksUri) return undefined;
  const remote =
    remoteSets.get(client.jwksUri) ?? createRemoteJWKSet(new URL(client.jwksUri), { timeoutDuration: 3000 });
  remoteSets.set(client.jwksUri, remote);
  return remote;
}
