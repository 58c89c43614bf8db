import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { sequenceIfPending } from "@/lib/audit/sequence-audit-events";
import { AppError } from "@/lib/errors/app-error";
import { getPublicJwks } from "@/lib/keys/get-public-jwks";
import {
  PROPOSAL_EXPORT_FORMAT,
  type ExportedBallot,
  type ProposalExport,
  type TallyResult,
} from "@/lib/governance/verifier/export-format";
import type { Rule } from "@/lib/governance/verifier/tally-rules";
import { relyingPartiesOpenedAt } from "@/lib/governance/verifier/relying-party-at";
import { readRelyingPartyHistory } from "@/lib/governance/relying-party-history";
import { ballotRecordOf } from "@/lib/governance/ballot-record-of";
import { base64url } from "jose";

/**
 * The public, self-contained export of an open or closed proposal: its signed
 * content, the roster snapshot, every ballot with its assertion and key, the
 * voters' registered passkeys, the signed tally and the governance JWKS.
 * Drafts are not public.
 */
export async function buildProposalExportInTx(
  tx: Tx,
  proposalId: string,
  jwks: { keys: Record<string, unknown>[] },
): Promise<ProposalExport> {
  // The ballots in a query of their own: Prisma reads the relations of one include side by side, two
  // queries at once on the transaction's one connection, which pg deprecates.
  const p = await tx.proposal.findUnique({ where: { id: proposalId }, include: { roster: true } });
  if (!p || p.status === "draft" || !p.openedAt || !p.closesAt || !p.digest || !p.rosterDigest)
    throw new AppError("NOT_FOUND", { userMessage: "No such proposal." });
  const proposalBallots = await tx.ballot.findMany({
    where: { proposalId },
    orderBy: [{ castAt: "asc" }, { id: "asc" }],
  });
  const users = await tx.user.findMany({
    where: { id: { in: p.roster.map((r) => r.userId) } },
    select: { id: true, name: true },
  });
  const voterIds = [...new Set(proposalBallots.map((b) => b.voterId))];
  const keys = await tx.passkey.findMany({
    where: { userId: { in: voterIds } },
    select: { userId: true, credentialId: true, publicKey: true },
    orderBy: { credentialId: "asc" },
  });
  const logEntries = await ballotLogEntries(tx, proposalId);
  const ballots: ExportedBallot[] = proposalBallots.map((b) => ({
    id: b.id,
    voterId: b.voterId,
    ...ballotRecordOf(b),
    logEntry: logEntries.get(b.id) ?? null,
  }));
  // The relying parties its ballots were signed for: the one in force when it opened, then each later one (a
  // public URL changed, a fork imported it open), so each ballot verifies for where it was cast, not for today's URL.
  const { relyingParty: rp, changes } = relyingPartiesOpenedAt(await readRelyingPartyHistory(tx), p.openedAt);
  const stored = p.tally as TallyResult | null;
  return {
    format: PROPOSAL_EXPORT_FORMAT,
    generatedAt: new Date().toISOString(),
    relyingParty: rp,
    ...(changes.length > 0 ? { relyingPartyChanges: changes } : {}),
    proposal: {
      id: p.id,
      kind: p.kind,
      title: p.title,
      content: p.content,
      rule: p.rule as Rule,
      windowHours: p.windowHours,
      status: p.status === "closed" ? "closed" : "open",
      openedAt: p.openedAt.toISOString(),
      closesAt: p.closesAt.toISOString(),
      closedAt: p.closedAt?.toISOString() ?? null,
      rosterDigest: p.rosterDigest,
      digest: p.digest,
    },
    roster: p.roster
      .map((r) => ({ userId: r.userId, binding: r.binding, name: users.find((u) => u.id === r.userId)?.name ?? null }))
      .sort((a, b) => (a.userId < b.userId ? -1 : 1)),
    registeredKeys: keys.map((k) => ({
      userId: k.userId,
      credentialId: k.credentialId,
      publicKey: base64url.encode(k.publicKey),
    })),
    ballots,
    result: stored && p.outcome ? { ...stored, effectStatus: p.effectStatus, effectNote: p.effectNote } : null,
    tallyJws: p.tallyJws,
    jwks,
  };
}

/** Each ballot's `ballot.cast` log entry: the entry index is the audit event's seq − 1 (docs/LOG.md). */
async function ballotLogEntries(tx: Tx, proposalId: string): Promise<Map<string, number>> {
  const where = { action: "ballot.cast", subjectType: "proposal", subjectId: proposalId };
  // A ballot of the last moment gets its place now, so the export (and a tally) can name its entry.
  await sequenceIfPending(where, tx);
  const placed = await tx.auditPlacement.findMany({
    where: { event: where },
    select: { seq: true, event: { select: { data: true } } },
  });
  const entries = new Map<string, number>();
  for (const p of placed) {
    const ballotId = (p.event.data as { ballotId?: unknown } | null)?.ballotId;
    if (typeof ballotId === "string") entries.set(ballotId, Number(p.seq - 1n));
  }
  return entries;
}

export async function governanceJwks(): Promise<{ keys: Record<string, unknown>[] }> {
  const { keys } = await getPublicJwks(["governance"]);
  return { keys: keys as Record<string, unknown>[] };
}

export async function buildProposalExport(proposalId: string): Promise<ProposalExport> {
  const jwks = await governanceJwks();
  return buildProposalExportInTx(db(), proposalId, jwks);
}
