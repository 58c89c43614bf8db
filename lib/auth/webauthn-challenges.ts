import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { AppError } from "@/lib/errors/app-error";

export const CHALLENGE_TTL_SECONDS = 300;

/**
 * What a challenge was issued for. A challenge only verifies a response of
 * its own purpose: a sign-in assertion cannot be replayed as a ballot, and a
 * sign-up registration cannot add a passkey to an existing account.
 * "sign-up" carries the id the new account will get.
 */
export type ChallengePurpose = "registration" | "sign-up" | "authentication" | "ballot";

/**
 * Remembers a challenge we issued, in the database, so any instance can check
 * it. Expired challenges (abandoned dialogs) are swept on the way, an indexed
 * delete, so the table stays as small as the number of open dialogs.
 */
export async function storeChallenge({
  challenge,
  purpose,
  userId,
}: {
  challenge: string;
  purpose: ChallengePurpose;
  userId?: string;
}) {
  await db().webAuthnChallenge.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  await db().webAuthnChallenge.create({
    data: {
      id: newId("wch"),
      challenge,
      purpose,
      userId,
      expiresAt: new Date(Date.now() + CHALLENGE_TTL_SECONDS * 1000),
    },
  });
}

/**
 * Takes a challenge out of the store and returns it: it must exist, be ours
 * for this purpose (and user, when given) and unexpired. Deleting it makes
 * every challenge single-use, so a captured response cannot be replayed.
 */
export async function consumeChallenge(
  tx: Tx,
  { challenge, purpose, userId }: { challenge: string; purpose: ChallengePurpose; userId?: string },
) {
  const row = await tx.webAuthnChallenge.findUnique({ where: { challenge } });
  const deleted = row ? await tx.webAuthnChallenge.deleteMany({ where: { id: row.id } }) : { count: 0 };
  if (
    !row ||
    deleted.count !== 1 ||
    row.purpose !== purpose ||
    row.expiresAt < new Date() ||
    (userId !== undefined && row.userId !== userId)
  ) {
    throw new AppError("UNAUTHENTICATED", {
      userMessage: "The passkey request expired or was already used. Try again.",
      reason: "BAD_CHALLENGE",
    });
  }
  return row;
}

/**
 * The challenge a browser signed, read from its clientDataJSON, so we can look
 * it up before verifying. The verification then checks the same bytes again;
 * a response we cannot parse yields "" and matches no stored challenge.
 */
export function challengeOfClientData(clientDataJSON: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8"));
    return typeof parsed === "object" && parsed !== null && "challenge" in parsed ? String(parsed.challenge) : "";
  } catch {
    return "";
  }
}
