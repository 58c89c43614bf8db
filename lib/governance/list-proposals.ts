import "server-only";
import { db } from "@/lib/db/client";

/** Open and closed proposals for the public list (drafts are their proposer's). */
export async function listProposals() {
  const rows = await db().proposal.findMany({
    where: { status: { in: ["open", "closed"] } },
    orderBy: [{ openedAt: "desc" }],
    select: {
      id: true,
      kind: true,
      title: true,
      status: true,
      openedAt: true,
      closesAt: true,
      closedAt: true,
      outcome: true,
      _count: { select: { ballots: true } },
    },
    take: 500,
  });
  return { open: rows.filter((r) => r.status === "open"), closed: rows.filter((r) => r.status === "closed") };
}

/** A user's own drafts. */
export async function listDraftProposals(userId: string) {
  return db().proposal.findMany({
    where: { status: "draft", createdById: userId },
    orderBy: { createdAt: "desc" },
    select: { id: true, kind: true, title: true, createdAt: true },
  });
}
