import { env } from "@/lib/config/env";
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
