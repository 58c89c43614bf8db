import "server-only";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { getActiveSigningKey } from "@/lib/keys/get-active-signing-key";
import { SIGNATURE_TYPE, ed25519RawPublicKey, formatVerifierKey } from "@/lib/merkle/signed-note";

/**
 * The log's origin line, and its key name: the portal's public host and
 * `/log`, as tlog-tiles recommends (`guildhall.example/log`). LOG_ORIGIN
 * overrides it, so a log keeps its identity when the portal moves.
 */
export function logOrigin(): string {
  return env().logOrigin ?? `${new URL(env().publicUrl).host}/log`;
}

/** The key that signs checkpoints (purpose `log`, Ed25519) with its name and C2SP verifier key. */
export async function getLogSigner() {
  const key = await getActiveSigningKey("log");
  const name = logOrigin();
  return {
    name,
    privateKey: key.privateKey,
    verifierKey: formatVerifierKey(name, SIGNATURE_TYPE.ed25519, ed25519RawPublicKey(key.privateKey)),
  };
}

/**
 * The log's C2SP verifier key, read from the active key's public half: it
 * never makes a key (a verifier or a reader must not) and never unseals one
 * (so it works without the master key, e.g. on a restored copy). Null before
 * the log's first checkpoint made the key.
 */
export async function findLogVerifierKey(): Promise<string | null> {
  const key = await db().signingKey.findFirst({
    where: { purpose: "log", retiredAt: null },
    orderBy: { createdAt: "desc" },
    select: { publicJwk: true },
  });
  const jwk = key?.publicJwk as { crv?: unknown; x?: unknown } | undefined;
  if (!jwk) return null;
  if (jwk.crv !== "Ed25519" || typeof jwk.x !== "string") throw new Error("the log's key is not an Ed25519 key");
  return formatVerifierKey(logOrigin(), SIGNATURE_TYPE.ed25519, Buffer.from(jwk.x, "base64url"));
}
