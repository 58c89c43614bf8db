import "server-only";
import { db } from "@/lib/db/client";
import { createSigningKey, generateSigningKeyMaterial } from "@/lib/keys/create-signing-key";
import { signingKeyPurposes, type SigningKeyPurpose } from "@/lib/keys/signing-key-purposes";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { advisoryLockNames, lockNameForTransaction } from "@/lib/db/advisory-locks";

const DAY_MS = 86_400_000;

/**
 * Replaces the active key of a purpose. The old key stops signing at once but
 * stays published until everything it signed has expired (the purpose's
 * overlap), so verifiers never meet an unknown kid. With `onlyIfActiveKid`
 * (rotation by age) nothing changes unless that key is still the active one.
 */
export async function rotateSigningKey({
  purpose,
  actor,
  onlyIfActiveKid,
}: {
  purpose: SigningKeyPurpose;
  actor: Actor;
  onlyIfActiveKid?: string;
}) {
  const material = await generateSigningKeyMaterial(purpose);
  return db().$transaction(async (tx) => {
    // Two instances rotating by age at once must not both retire and create.
    await lockNameForTransaction(tx, advisoryLockNames.signingKey(purpose));
    const now = new Date();
    const removeAfter = new Date(now.getTime() + signingKeyPurposes[purpose].publishDaysAfterRetire * DAY_MS);
    const active = await tx.signingKey.findMany({
      where: { purpose, retiredAt: null },
      select: { kid: true },
      orderBy: { createdAt: "desc" },
    });
    // A rotation by age replaces the key its caller saw; once the lock is held, another
    // instance may already have replaced it, and then the newer key stays.
    if (onlyIfActiveKid && active[0] && active[0].kid !== onlyIfActiveKid) {
      return tx.signingKey.findUniqueOrThrow({ where: { kid: active[0].kid } });
    }
    for (const { kid } of active) {
      await tx.signingKey.update({ where: { kid }, data: { retiredAt: now, removeAfter } });
      await appendAuditEvent(tx, {
        actor,
        action: "signing_key.retired",
        subject: { type: "signing_key", id: kid },
        state: { kid, retiredAt: now, removeAfter },
        data: { purpose },
      });
    }
    return createSigningKey(tx, { purpose, material, actor });
  });
}
