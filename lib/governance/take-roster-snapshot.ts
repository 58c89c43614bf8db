import "server-only";
import { db, type Tx } from "@/lib/db/client";
import type { RosterEntry } from "@/lib/governance/verifier/ballot-content";

/**
 * The roster as it stands: members vote bindingly, committers non-bindingly
 * (a member who is also a committer is binding). Disabled accounts do not
 * vote. Taken once, when a proposal opens; binding-ness is read from that
 * snapshot and never from the voter.
 */
export async function takeRosterSnapshot(tx: Tx): Promise<RosterEntry[]> {
  const roles = await tx.userRole.findMany({
    where: { role: { in: ["MEMBER", "COMMITTER"] }, user: { disabledAt: null } },
    select: { userId: true, role: true },
  });
  const byUser = new Map<string, boolean>();
  for (const r of roles) byUser.set(r.userId, byUser.get(r.userId) === true || r.role === "MEMBER");
  return [...byUser.entries()]
    .map(([userId, binding]) => ({ userId, binding }))
    .sort((a, b) => (a.userId < b.userId ? -1 : 1));
}

/** The public roster now: who holds a binding or non-binding vote. */
export async function listRoster(tx: Tx = db()) {
  const snapshot = await takeRosterSnapshot(tx);
  const users = await tx.user.findMany({
    where: { id: { in: snapshot.map((s) => s.userId) } },
    select: { id: true, name: true },
  });
  const names = new Map(users.map((u) => [u.id, u.name]));
  return snapshot.map((s) => ({ ...s, name: names.get(s.userId) ?? null }));
}
