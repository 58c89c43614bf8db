import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { isAppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { queueMail } from "@/lib/mail/queue-mail";
import { log } from "@/lib/log";
import { voteClosingEmail } from "@/emails/governance-vote";
import { governanceNow } from "@/lib/governance/clock";
import { closeProposal } from "@/lib/governance/close-proposal";
import { proposalKindLabels, type ProposalKind } from "@/lib/governance/proposal-kinds";

const REMINDER_BEFORE_MS = 24 * 3_600_000;

/**
 * The periodic governance job (every minute in each portal process, and
 * `cli governance sweep`): mails the roster 24 hours before a vote closes,
 * once, and closes votes whose window has passed. Several instances may run
 * it at once: the reminder is claimed by a conditional update and a close
 * takes the proposal's row lock, so nothing is done twice.
 */
export async function runGovernanceSweep(): Promise<{ reminded: string[]; closed: string[] }> {
  const now = await governanceNow();
  const reminded: string[] = [];
  const closed: string[] = [];
  const due = await db().proposal.findMany({
    where: {
      status: "open",
      reminderSentAt: null,
      closesAt: { lte: new Date(now.getTime() + REMINDER_BEFORE_MS), gt: now },
    },
    select: { id: true },
  });
  for (const { id } of due) if (await sendClosingReminder(id, now)) reminded.push(id);

  const over = await db().proposal.findMany({
    where: { status: "open", closesAt: { lte: now } },
    select: { id: true },
  });
  for (const { id } of over) {
    try {
      await closeProposal({ proposalId: id, actor: { type: "system", id: "governance-sweep" } });
      closed.push(id);
    } catch (e) {
      if (isAppError(e) && e.reason === "ALREADY_CLOSED") continue;
      log.error({ proposalId: id, err: e instanceof Error ? e.message : String(e) }, "closing a proposal failed");
    }
  }
  return { reminded, closed };
}

async function sendClosingReminder(proposalId: string, now: Date): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const claimed = await tx.proposal.updateMany({
      where: { id: proposalId, status: "open", reminderSentAt: null },
      data: { reminderSentAt: now },
    });
    if (claimed.count !== 1) return false;
    const p = await tx.proposal.findUniqueOrThrow({ where: { id: proposalId }, include: { roster: true } });
    const users = await tx.user.findMany({
      where: { id: { in: p.roster.map((r) => r.userId) }, disabledAt: null },
      select: { id: true, email: true },
    });
    // Only open proposals are reminded, and an open one has a closing time.
    const closesAt = p.closesAt;
    if (!closesAt) throw new Error(`open proposal ${p.id} has no closing time`);
    const url = `${env().publicUrl}/governance/${p.id}`;
    for (const u of users) {
      const binding = p.roster.find((r) => r.userId === u.id)?.binding ?? false;
      await queueMail(tx, {
        to: u.email,
        template: "governance-vote-closing",
        content: voteClosingEmail({
          title: p.title,
          kindLabel: proposalKindLabels[p.kind as ProposalKind] ?? p.kind,
          url,
          closesAt,
          binding,
        }),
      });
    }
    await appendAuditEvent(tx, {
      actor: { type: "system", id: "governance-sweep" },
      action: "proposal.reminder_sent",
      subject: { type: "proposal", id: p.id },
      state: { reminderSentAt: now },
      data: { recipients: users.length },
    });
    return true;
  });
}
