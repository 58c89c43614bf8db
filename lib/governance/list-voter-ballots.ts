import "server-only";
import { db } from "@/lib/db/client";

/**
 * A voter's latest ballots with their proposals' titles, newest first: what
 * their account page lists as their ballot receipts. Only the voter's own.
 */
export async function listVoterBallots(voterId: string, limit = 10) {
  const ballots = await db().ballot.findMany({
    where: { voterId },
    orderBy: [{ castAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true, choice: true, castAt: true, proposal: { select: { id: true, title: true } } },
  });
  return ballots.map((b) => ({ id: b.id, choice: b.choice, castAt: b.castAt, proposal: b.proposal }));
}
