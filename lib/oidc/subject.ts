import "server-only";
import crypto from "node:crypto";
import { env } from "@/lib/config/env";

type SubjectClient = { subjectType: string; sectorIdentifier: string | null; redirectUris: string[] };

/** The pairwise sector of a client: its registered sector, or the host of its redirect URIs. */
export function sectorOf(client: SubjectClient): string {
  return client.sectorIdentifier ?? (client.redirectUris[0] ? new URL(client.redirectUris[0]).host : "");
}

let pairwiseKey: Buffer | undefined;

/**
 * The `sub` a client sees. Pairwise subjects (OIDC Core §8.1) are an HMAC of
 * the sector and the user id under a key derived from the master key: stable
 * for one sector, unlinkable across sectors, and not reversible by a host.
 */
export function subjectFor(client: SubjectClient, userId: string): string {
  if (client.subjectType !== "pairwise") return userId;
  pairwiseKey ??= Buffer.from(
    crypto.hkdfSync("sha256", env().masterKey, Buffer.alloc(0), "guildhall:oidc-pairwise-subject", 32),
  );
  return crypto
    .createHmac("sha256", pairwiseKey)
    .update(`${sectorOf(client)}\n${userId}`)
    .digest("base64url");
}
