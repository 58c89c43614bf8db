import "server-only";
import type { Tx } from "@/lib/db/client";
import { iso } from "@/lib/portability/export-values";
import { base64url } from "jose";

/**
 * The audit events about the person: those they did, those whose subject is
 * them or one of their passkeys, sessions or consents, and those whose log
 * entry commits to something of theirs, each with the openings of those
 * commitments (the salt and the value), so they can show anyone what the
 * public entry says about them. Those placed by the sequencer when the
 * snapshot began (buildAccountExport sequences the last moments' first).
 */
export async function readAuditEntries(tx: Tx, userId: string, ownedSubjectIds: string[]) {
  const openings = await tx.logOpening.findMany({ where: { ownerUserId: userId } });
  const mine = { OR: [{ actorId: userId }, { subjectId: { in: [userId, ...ownedSubjectIds] } }] };
  const placed = await tx.auditPlacement.findMany({
    where: { OR: [{ event: mine }, { seq: { in: [...new Set(openings.map((o) => o.eventSeq))] } }] },
    orderBy: { seq: "asc" },
    include: { event: true },
  });
  const ownedIds = new Set([userId, ...ownedSubjectIds]);
  return placed.map(({ seq, event: e }) => {
    const asActor = e.actorId === userId;
    const asSubject = ownedIds.has(e.subjectId);
    return {
      seq: seq.toString(),
      logIndex: Number(seq - 1n),
      id: e.id,
      occurredAt: iso(e.occurredAt),
      action: e.action,
      role: asActor && asSubject ? ("both" as const) : asActor ? ("actor" as const) : ("subject" as const),
      actor: { type: e.actorType, id: e.actorId },
      subject: { type: e.subjectType, id: e.subjectId },
      data: e.data ?? null,
      openings: openings
        .filter((o) => o.eventSeq === seq)
        .map((o) => ({ path: o.path, salt: base64url.encode(o.salt), value: o.value })),
    };
  });
}
