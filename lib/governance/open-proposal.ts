import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { env } from "@/lib/config/env";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { UserActor } from "@/lib/access/actor";
import { assertPermitted } from "@/lib/access/permission";
import { queueMail } from "@/lib/mail/queue-mail";
import { voteOpenedEmail } from "@/emails/governance-vote";
import { governanceNow, type GovernanceTimeSource } from "@/lib/governance/clock";
import { takeRosterSnapshot } from "@/lib/governance/take-roster-snapshot";
import { proposalKindLabels, type ProposalKind } from "@/lib/governance/proposal-kinds";
import { proposalDigestOf, rosterDigestOf } from "@/lib/governance/verifier/ballot-content";

const HOUR_MS = 3_600_000;

export type OpenProposalInput = { proposalId: string; actor: UserActor };

/**
 * Opens a draft for voting: freezes the roster (who votes, and bindingly or
 * not), fixes the window, computes the digest voters will sign over, and
 * mails everyone on the roster. Only the proposer or an org admin opens.
 */
export async function openProposalInTx(
  tx: Tx,
  { actor, proposalId }: OpenProposalInput,
  clock: GovernanceTimeSource = governanceNow,
) {
  await tx.$executeRaw`SELECT 1 FROM "Proposal" WHERE "id" = ${proposalId} FOR UPDATE`;
  const proposal = await tx.proposal.findUnique({ where: { id: proposalId } });
  if (!proposal) throw new AppError("NOT_FOUND", { userMessage: "No such proposal." });
  if (proposal.status !== "draft")
    throw new AppError("CONFLICT", { userMessage: "This proposal is already open or closed.", reason: "NOT_A_DRAFT" });
  if (proposal.createdById !== actor.id) {
    await assertPermitted(
      tx,
      actor,
      { role: "ORG_ADMIN" },
      { userMessage: "Only the proposer or an org admin opens a proposal.", reason: "NOT_PROPOSER" },
    );
  }
  const roster = await takeRosterSnapshot(tx);
  if (!roster.some((r) => r.binding))
    throw new AppError("UNPROCESSABLE", { userMessage: "Nobody holds a binding vote.", reason: "EMPTY_ROSTER" });

  const openedAt = new Date((await clock(tx)).getTime());
  const closesAt = new Date(openedAt.getTime() + proposal.windowHours * HOUR_MS);
  const rosterDigest = rosterDigestOf(roster);
  const digest = proposalDigestOf({
    id: proposal.id,
    kind: proposal.kind,
    title: proposal.title,
    content: proposal.content,
    rule: proposal.rule,
    windowHours: proposal.windowHours,
    openedAt: openedAt.toISOString(),
    closesAt: closesAt.toISOString(),
    rosterDigest,
  });
  await tx.proposalRosterEntry.createMany({
    data: roster.map((r) => ({ proposalId, userId: r.userId, binding: r.binding })),
  });
  const opened = await tx.proposal.update({
    where: { id: proposalId },
    data: { status: "open", openedAt, closesAt, rosterDigest, digest },
  });
  await appendAuditEvent(tx, {
    actor,
    action: "proposal.opened",
    subject: { type: "proposal", id: proposalId },
    state: { digest, rosterDigest, openedAt, closesAt, roster },
    data: {
      digest,
      closesAt: closesAt.toISOString(),
      bindingVoters: roster.filter((r) => r.binding).length,
      voters: roster.length,
    },
  });

  const users = await tx.user.findMany({
    where: { id: { in: roster.map((r) => r.userId) } },
    select: { id: true, email: true },
  });
  const url = `${env().publicUrl}/governance/${proposalId}`;
  for (const u of users) {
    const binding = roster.find((r) => r.userId === u.id)?.binding ?? false;
    await queueMail(tx, {
      to: u.email,
      template: "governance-vote-opened",
      content: voteOpenedEmail({
        title: proposal.title,
        kindLabel: proposalKindLabels[proposal.kind as ProposalKind] ?? proposal.kind,
        url,
        closesAt,
        binding,
      }),
    });
  }
  return opened;
}

export async function openProposal(input: OpenProposalInput) {
  return db().$transaction((tx) => openProposalInTx(tx, input));
}
