import { db, type Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { AppError } from "@/lib/errors/app-error";

export const CHALLENGE_TTL_SECONDS = 300;
export type ChallengePurpose = "registration" | "authentication" | "ballot";

/** Remembers a challenge we issued, in the database, so any instance can check it. */
export async function storeChallenge(challenge: string, purpose: ChallengePurpose, userId?: string) {
  await db().webAuthnChallenge.create({
    data: { id: newId("wch"), challenge, purpose, userId, expiresAt: new Date(Date.now() + CHALLENGE_TTL_SECONDS * 1000) },
  });
}

/**
 * Takes a challenge out of the store: it must exist, be ours for this purpose
 * (and user, when given) and unexpired. Deleting it makes every challenge
 * single-use, so a captured response cannot be replayed.
 */
export async function consumeChallenge(tx: Tx, challenge: string, purpose: ChallengePurpose, userId?: string) {
  const row = await tx.webAuthnChallenge.findUnique({ where: { challenge } });
  const deleted = row ? await tx.webAuthnChallenge.deleteMany({ where: { id: row.id } }) : { count: 0 };
  if (!row || deleted.count !== 1 || row.purpose !== purpose || row.expiresAt < new Date() || (userId !== undefined && row.userId !== userId)) {
    throw new AppError("UNAUTHENTICATED", { userMessage: "The passkey request expired or was already used. Try again.", reason: "BAD_CHALLENGE" });
  }
}
