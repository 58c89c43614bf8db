import "server-only";
import { z } from "zod";
import { db, type Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { actReasonSchema } from "@/lib/audit/act-reason";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { revokeCredentialsOf } from "@/lib/access/credential-revokers";
import { advisoryLockIds, lockForTransaction } from "@/lib/db/advisory-locks";
import { canonicalLogJson } from "@/lib/transparency/build-log-entry";
import { integrateWholeLog } from "@/lib/transparency/integrate-whole-log";
import type { MembershipRole } from "@/lib/generated/prisma/client";

export const deleteAccountSchema = z.object({ userId: z.string().min(1).max(100), reason: actReasonSchema });

/** The address a deleted account keeps: unique, under .invalid (RFC 2606), so no mail can ever reach it. */
export const deletedEmailOf = (userId: string) => `deleted+${userId.toLowerCase()}@deleted.invalid`;

/**
 * Deletes a person's account at their own request. Erased: name and email
 * (the row stays as a pseudonymous id, so orders, ballots and the log still
 * name someone), passkeys, sessions, consents and their tokens, app account
 * tokens, roles, memberships, invitations' addresses, sign-in codes, mail, and
 * the openings of every log commitment about them (the salts: the public
 * entries stay byte for byte, and become unprovable). Kept, as the page says:
 * orders, receipts, ledger entries and payouts (money records), ballots with
 * their signatures (a vote stays checkable), the audit history and the log.
 * Checks, in order: the reason; the account exists and is not deleted yet;
 * it is not the last org admin, nor the last admin of a theater or host.
 * The log is integrated first, so every earlier event's openings exist to be
 * erased, and again after, for events appended meanwhile: each time the whole
 * backlog, not one bounded round, or the deletion's own event could still be
 * waiting for its place (a 500 after the deletion committed, its openings kept).
 */
export async function deleteAccount(input: z.input<typeof deleteAccountSchema>) {
  const { userId, reason } = deleteAccountSchema.parse(input);
  await integrateWholeLog();
  const result = await db().$transaction(async (tx) => {
    await lockForTransaction(tx, advisoryLockIds.lastOrgAdmin);
    // Its memberships in a query of their own: Prisma reads the relations of one include side by side, two
    // queries at once on the transaction's one connection, which pg deprecates.
    const user = await tx.user.findUnique({ where: { id: userId }, include: { roles: true } });
    if (!user || user.deletedAt)
      throw new AppError("NOT_FOUND", { userMessage: "No such account.", reason: "ACCOUNT_NOT_FOUND" });
    const memberships = await tx.membership.findMany({ where: { userId } });
    await assertNotLastAdmin(tx, { ...user, memberships });
    const ended = await revokeCredentialsOf(tx, userId);
    const erased = await erasePersonalRows(tx, userId, user.email);
    const event = await appendAuditEvent(tx, {
      actor: { type: "user", id: userId },
      action: "user.deleted",
      subject: { type: "user", id: userId },
      state: { deleted: true },
      data: { reason, ended, erased },
    });
    return { deletedEventId: event.id, email: user.email, erased };
  });
  await integrateWholeLog();
  const deleted = await db().auditPlacement.findUniqueOrThrow({ where: { eventId: result.deletedEventId } });
  await eraseOpenings(db(), userId, result.email, deleted.seq);
  return { erased: result.erased };
}

type UserWithAccess = {
  id: string;
  roles: { role: string }[];
  memberships: { orgId: string; role: MembershipRole }[];
};

async function assertNotLastAdmin(tx: Tx, user: UserWithAccess) {
  if (user.roles.some((r) => r.role === "ORG_ADMIN")) {
    const others = await tx.userRole.count({
      where: { role: "ORG_ADMIN", userId: { not: user.id }, user: { disabledAt: null } },
    });
    if (others === 0)
      throw new AppError("CONFLICT", {
        userMessage: "You are the last org admin: grant the role to someone else before deleting your account.",
        reason: "LAST_ORG_ADMIN",
      });
  }
  for (const m of user.memberships) {
    const others = await tx.membership.count({
      where: { orgId: m.orgId, role: m.role, userId: { not: user.id }, user: { disabledAt: null } },
    });
    if (others === 0) {
      const org = await tx.organization.findUniqueOrThrow({ where: { id: m.orgId }, select: { name: true } });
      throw new AppError("CONFLICT", {
        userMessage: `You are the last admin of ${org.name}: make someone else its admin before deleting your account.`,
        reason: "LAST_MEMBER_ADMIN",
      });
    }
  }
}

/** Every row that is about the person and no money, vote or history record needs. Answers the counts. */
async function erasePersonalRows(tx: Tx, userId: string, email: string) {
  const erased = {
    passkeys: (await tx.passkey.deleteMany({ where: { userId } })).count,
    sessions: (await tx.session.deleteMany({ where: { userId } })).count,
    tokens: (await tx.oidcToken.deleteMany({ where: { userId } })).count,
    codes: (await tx.oidcAuthorizationCode.deleteMany({ where: { userId } })).count,
    consents: (await tx.oidcGrant.deleteMany({ where: { userId } })).count,
    appAccountTokens: (await tx.appAccountToken.deleteMany({ where: { userId } })).count,
    roles: (await tx.userRole.deleteMany({ where: { userId } })).count,
    memberships: (await tx.membership.deleteMany({ where: { userId } })).count,
    challenges: (await tx.webAuthnChallenge.deleteMany({ where: { userId } })).count,
    emailCodes: (await tx.emailCode.deleteMany({ where: { email } })).count,
    mail: (await tx.mailMessage.deleteMany({ where: { to: email } })).count,
    invitations: (await tx.invitation.updateMany({ where: { email }, data: { email: deletedEmailOf(userId) } })).count,
    // A funding is a money record and stays; the name its funder chose to show on a line's page goes.
    fundingNames: (
      await tx.funding.updateMany({
        where: { funderUserId: userId, publicName: { not: null } },
        data: { publicName: null },
      })
    ).count,
  };
  await tx.user.update({
    where: { id: userId },
    data: {
      email: deletedEmailOf(userId),
      name: null,
      emailVerifiedAt: null,
      lastLoginAt: null,
      disabledAt: new Date(),
      deletedAt: new Date(),
    },
  });
  await eraseOpenings(tx, userId, email, null);
  return erased;
}

/**
 * Deletes the openings of log commitments about the person: those recorded as
 * theirs, and any whose value is their email address (an invitation names the
 * invitee by address, not by id). With `beforeSeq`, only of events before it:
 * the deletion event's own reason stays, committed and privately kept.
 */
async function eraseOpenings(tx: Tx | ReturnType<typeof db>, userId: string, email: string, beforeSeq: bigint | null) {
  const bySeq = beforeSeq === null ? {} : { eventSeq: { lt: beforeSeq } };
  await tx.logOpening.deleteMany({
    where: { ...bySeq, OR: [{ ownerUserId: userId }, { value: canonicalLogJson(email) }] },
  });
}
