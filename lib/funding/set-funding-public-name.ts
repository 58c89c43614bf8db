import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { assertPermitted } from "@/lib/access/permission";
import { auditActorOf, type UserActor } from "@/lib/access/actor";

/**
 * The funder chooses how their funding is shown on the line's page: under a name of their choosing, or
 * anonymous (null or empty). A web funder chooses it on the funding form; a funding bought in the app has no
 * such field, so this is where its funder chooses (and where anyone changes their mind). Only the funder may
 * (the funding is found by id, then its funder compared, as cancelFunding does). The name is personal data:
 * the audit event's public state says only whether the funding is named, the name stays in its private data.
 */
export async function setFundingPublicName({
  actor,
  ...input
}: {
  actor: UserActor;
  fundingId: string;
  publicName: string | null;
}): Promise<{ publicName: string | null }> {
  const publicName = input.publicName?.trim() || null;
  return db().$transaction(async (tx) => {
    await assertPermitted(tx, actor, "signed-in");
    const row = await tx.funding.findUnique({
      where: { id: input.fundingId },
      select: { funderUserId: true, publicName: true },
    });
    if (!row) throw new AppError("NOT_FOUND", { userMessage: "No such funding.", reason: "UNKNOWN_FUNDING" });
    if (row.funderUserId !== actor.id)
      throw new AppError("FORBIDDEN", {
        userMessage: "Only the funder can choose how their funding is shown.",
        reason: "NOT_THE_FUNDER",
      });
    if (row.publicName === publicName) return { publicName };
    await tx.funding.update({ where: { id: input.fundingId }, data: { publicName } });
    await appendAuditEvent(tx, {
      actor: auditActorOf(actor),
      action: "funding.public_name_changed",
      subject: { type: "funding", id: input.fundingId },
      state: { named: publicName !== null },
      data: { publicName },
    });
    return { publicName };
  });
}
