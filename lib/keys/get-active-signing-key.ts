import "server-only";
import { createPrivateKey, type KeyObject } from "node:crypto";
import { db } from "@/lib/db/client";
import { unseal } from "@/lib/keys/seal";
import { systemActor } from "@/lib/access/actor";
import { createSigningKey, generateSigningKeyMaterial } from "@/lib/keys/create-signing-key";
import { rotateSigningKey } from "@/lib/keys/rotate-signing-key";
import { signingKeyPurposes, type SigningKeyPurpose } from "@/lib/keys/signing-key-purposes";
import { advisoryLockNames, lockNameForTransaction } from "@/lib/db/advisory-locks";

export type ActiveSigningKey = { kid: string; alg: string; privateKey: KeyObject };

const DAY_MS = 86_400_000;

// Imported keys are derivable from the database, so caching them per process
// is safe for a second instance: it simply imports its own copy.
// Node KeyObjects: jose 6 accepts them and signs through WebCrypto either way
// (it converts a KeyObject once and caches the result), and node:crypto code
// can use them as they are.
const imported = new Map<string, Promise<KeyObject>>();

/**
 * The key that signs for a purpose now. Made on first use, and rotated here
 * when it has reached the purpose's age, so rotation by age needs no cron.
 */
export async function getActiveSigningKey(purpose: SigningKeyPurpose): Promise<ActiveSigningKey> {
  let key = await db().signingKey.findFirst({ where: { purpose, retiredAt: null }, orderBy: { createdAt: "desc" } });
  if (!key) {
    const material = await generateSigningKeyMaterial(purpose);
    await db().$transaction(async (tx) => {
      // Serialize first-use creation across instances.
      await lockNameForTransaction(tx, advisoryLockNames.signingKey(purpose));
      const again = await tx.signingKey.findFirst({ where: { purpose, retiredAt: null } });
      if (!again) await createSigningKey(tx, { purpose, material, actor: systemActor("signing-key-first-use") });
    });
    key = await db().signingKey.findFirstOrThrow({
      where: { purpose, retiredAt: null },
      orderBy: { createdAt: "desc" },
    });
  } else if (Date.now() - key.createdAt.getTime() > signingKeyPurposes[purpose].rotateAfterDays * DAY_MS) {
    // Every instance that notices the age asks; the rotation's lock lets the first replace the key and the others find it replaced.
    await rotateSigningKey({ purpose, onlyIfActiveKid: key.kid, actor: { type: "system", id: "rotation-by-age" } });
    return getActiveSigningKey(purpose);
  }
  let privateKey = imported.get(key.kid);
  if (!privateKey) {
    privateKey = Promise.resolve(
      createPrivateKey(unseal(`signing-key-${purpose}`, key.privateSealed).toString("utf8")),
    );
    imported.set(key.kid, privateKey);
  }
  return { kid: key.kid, alg: key.alg, privateKey: await privateKey };
}
