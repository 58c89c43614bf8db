import "server-only";
import type { Tx } from "@/lib/db/client";
import { limits } from "@/lib/config/limits";
import { AppError } from "@/lib/errors/app-error";

/**
 * A passkey added moments ago is the mark of an account someone else got
 * into: they plant a passkey of their own and sign with it, to replace the
 * owner's ballot (issue 12: a veto replaced that way verified as genuine).
 * The owner is told by mail when a passkey is added; this rule gives them
 * the time to act on it. A passkey younger than limits.auth.newPasskeyBallotHoldMs
 * is refused (PASSKEY_TOO_NEW) when either
 * - the account holds an older passkey, the owner's own means to sign; or
 * - the voter already has a ballot on this proposal signed with another
 *   passkey (one since removed, so the first check cannot see it).
 * A newcomer's first passkey is not held: with no earlier passkey and no
 * earlier ballot there is nothing of the owner's to replace, and a member
 * who just set up their account can vote at once.
 */
export async function requireSettledPasskey(
  tx: Tx,
  p: { passkey: { id: string; userId: string; credentialId: string; createdAt: Date }; proposalId: string },
  now = new Date(),
): Promise<void> {
  const settlesAt = new Date(p.passkey.createdAt.getTime() + limits.auth.newPasskeyBallotHoldMs);
  if (settlesAt <= now) return;
  const olderPasskey = await tx.passkey.findFirst({
    where: { userId: p.passkey.userId, id: { not: p.passkey.id }, createdAt: { lt: p.passkey.createdAt } },
    select: { id: true },
  });
  const ballotByAnother = await tx.ballot.findFirst({
    where: { proposalId: p.proposalId, voterId: p.passkey.userId, credentialId: { not: p.passkey.credentialId } },
    select: { id: true },
  });
  if (!olderPasskey && !ballotByAnother) return;
  throw new AppError("FORBIDDEN", {
    reason: "PASSKEY_TOO_NEW",
    userMessage: `This passkey was added to your account moments ago; it signs ballots from ${settlesAt.toISOString()}. Sign with a passkey you had before, or vote again then.`,
  });
}
