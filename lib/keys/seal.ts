import "server-only";
import { env } from "@/lib/config/env";
import { sealWithKey, unsealWithKey } from "@/lib/crypto/sealed-box";

/** Seals a secret at rest under the configured MASTER_KEY (lib/crypto/sealed-box.ts says how). */
export function seal(purpose: string, plaintext: string | Buffer, master: Buffer = env().masterKey): string {
  return sealWithKey(purpose, plaintext, master);
}

export function unseal(purpose: string, sealed: string, master: Buffer = env().masterKey): Buffer {
  return unsealWithKey(purpose, sealed, master);
}
